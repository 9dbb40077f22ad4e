// buf[i] = value for the whole buffer.
struct Params {
    len: u32,
    value: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> buf: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i < P.len {
        buf[i] = P.value;
    }
}
