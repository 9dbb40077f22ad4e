// Stochastic gradient descent, PyTorch's semantics: with momentum μ > 0, velocity = μ·velocity
// + grad and param -= lr·velocity; with μ = 0, param -= lr·grad (velocity untouched).
struct Params {
    len: u32,
    lr: f32,
    momentum: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> param: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> velocity: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i >= P.len {
        return;
    }
    if P.momentum == 0.0 {
        param[i] -= P.lr * grad[i];
    } else {
        let v = P.momentum * velocity[i] + grad[i];
        velocity[i] = v;
        param[i] -= P.lr * v;
    }
}
