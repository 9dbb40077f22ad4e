// Writes images of a resident data set as floats in [0, 1] to rows of x ([rows][pixels]) and
// their labels to `labels`. The index ring holds (row, image) pairs at `offset`: this call
// writes `rows` of them, all images of one chunk of the data set, which starts at image
// `first_image` (a large data set is split into chunks that each fit one binding). The bytes
// are packed little-endian into u32 words (WGSL has no u8 storage).
struct Params {
    rows: u32,
    pixels: u32,
    offset: u32,
    first_image: u32,
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
    let pair = P.offset + 2u * (i / P.pixels);
    let row = indices[pair];
    let b = (indices[pair + 1u] - P.first_image) * P.pixels + i % P.pixels;
    x[row * P.pixels + i % P.pixels] = f32(byte_of(data_pixels[b >> 2u], b)) / 255.0;
    if i < P.rows {
        let at = P.offset + 2u * i;
        let image = indices[at + 1u];
        labels[indices[at]] = f32(byte_of(data_labels[image >> 2u], image));
    }
}
