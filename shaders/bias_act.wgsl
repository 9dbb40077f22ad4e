// In place: z = dropout(act(z + bias)) over [models][rows][cols], bias [models][cols]. The
// dropout mask is drawn from the element's index within one model, as on the CPU.
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
    act: u32,
    dropout: u32,
    seed: u32,
    stream: u32,
    p: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> z: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    let per_model = P.rows * P.cols;
    if i >= P.models * per_model {
        return;
    }
    let model = i / per_model;
    let at = i % per_model;
    var y = activate(P.act, z[i] + bias[model * P.cols + at % P.cols]);
    if P.dropout != 0u {
        // Divide (not multiply by a reciprocal) exactly as the CPU does.
        y = select(0.0, y / (1.0 - P.p), dropout_keep(P.seed, P.stream, at, P.p));
    }
    z[i] = y;
}
