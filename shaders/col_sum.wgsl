// out[model][col] = sum over rows of x[model][row][col]: one invocation per column, adding the
// rows in order from 0 like the CPU does (so the sums agree to rounding of the same order).
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) local: u32) {
    let i = flat_index(wg, groups, local);
    if i >= P.models * P.cols {
        return;
    }
    let model = i / P.cols;
    let col = i % P.cols;
    let base = model * P.rows * P.cols + col;
    var acc = 0.0;
    for (var row = 0u; row < P.rows; row++) {
        acc += x[base + row * P.cols];
    }
    out[i] = acc;
}
