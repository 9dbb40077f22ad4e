// In place: grad *= (out > 0) * scale — ReLU's backward pass, then inverted dropout's scale
// (a dropped element has out == 0, so the mask needs no second look).
struct Params {
    len: u32,
    scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i < P.len {
        grad[i] = select(0.0, grad[i] * P.scale, out[i] > 0.0);
    }
}
