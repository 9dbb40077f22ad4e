// out[model][c][row] = x[model][row][c] for the first `taken` of the cols columns: a unit's
// incoming weights, one unit after another. One invocation per output float, so that the
// writes are contiguous.
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
    taken: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i >= P.models * P.taken * P.rows {
        return;
    }
    let row = i % P.rows;
    let unit = i / P.rows; // model * taken + c
    let model = unit / P.taken;
    let c = unit % P.taken;
    out[i] = x[(model * P.rows + row) * P.cols + c];
}
