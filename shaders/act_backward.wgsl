// In place over [models][rows][cols]: the backward pass of bias_act given its output `out`.
// grad = 0 where dropout dropped the element (the same mask, redrawn from the element's index
// within one model), else grad *= φ'(y)·scale with y = out·(1 − p), as on the CPU.
struct Params {
    len: u32,
    per_model: u32,
    act: u32,
    dropout: u32,
    seed: u32,
    stream: u32,
    p: f32,
    scale: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i >= P.len {
        return;
    }
    if P.dropout == 0u {
        grad[i] = grad[i] * activation_slope(P.act, out[i]);
    } else if dropout_keep(P.seed, P.stream, i % P.per_model, P.p) {
        grad[i] = grad[i] * (activation_slope(P.act, out[i] * (1.0 - P.p)) * P.scale);
    } else {
        grad[i] = 0.0;
    }
}
