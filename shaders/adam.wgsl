// Adam in PyTorch's form, as in cpu.rs: the bias corrections arrive precomputed from the host
// (step_size = lr / (1 - beta1^t), sqrt_bc2 = sqrt(1 - beta2^t)) so both backends use the same
// numbers.
struct Params {
    len: u32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    step_size: f32,
    sqrt_bc2: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i >= P.len {
        return;
    }
    let g = grad[i];
    let mi = P.beta1 * m[i] + (1.0 - P.beta1) * g;
    let vi = P.beta2 * v[i] + (1.0 - P.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] -= P.step_size * mi / (sqrt(vi) / P.sqrt_bc2 + P.eps);
}
