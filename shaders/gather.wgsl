// Writes the images `indices[offset..offset + rows]` of a resident data set as floats in
// [0, 1] to x ([rows][pixels]) and their labels to `labels`. The data set's bytes are packed
// little-endian into u32 words (WGSL has no u8 storage).
struct Params {
    rows: u32,
    pixels: u32,
    offset: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> data_pixels: array<u32>;
@group(0) @binding(2) var<storage, read> data_labels: array<u32>;
@group(0) @binding(3) var<storage, read> indices: array<u32>;
@group(0) @binding(4) var<storage, read_write> x: array<f32>;
@group(0) @binding(5) var<storage, read_write> labels: array<f32>;

fn byte_of(word: u32, byte_index: u32) -> u32 {
    return (word >> ((byte_index & 3u) * 8u)) & 0xffu;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i >= P.rows * P.pixels {
        return;
    }
    let image = indices[P.offset + i / P.pixels];
    let b = image * P.pixels + i % P.pixels;
    x[i] = f32(byte_of(data_pixels[b >> 2u], b)) / 255.0;
    if i < P.rows {
        let l = indices[P.offset + i];
        labels[i] = f32(byte_of(data_labels[l >> 2u], l));
    }
}
