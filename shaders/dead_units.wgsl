// Per model, how many of the cols columns of x [rows][cols] are <= 0 in every row (dead ReLUs),
// at out[offset + model * stride]. One workgroup per model, an invocation per column (so that
// neighbours read neighbouring floats of each row), counting in a workgroup atomic.
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
    offset: u32,
    stride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> dead: atomic<u32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let model = wg.x;
    if lid == 0u {
        atomicStore(&dead, 0u);
    }
    workgroupBarrier();
    let base = model * P.rows * P.cols;
    for (var col = lid; col < P.cols; col += 256u) {
        var alive = false;
        for (var row = 0u; row < P.rows && !alive; row++) {
            let v = x[base + row * P.cols + col];
            // NaN is not <= 0, so it keeps a unit alive, as on the CPU; tested by its bits
            // rather than trusting `!(v <= 0)` to survive a compiler's finite-math assumption.
            alive = v > 0.0 || is_nan(v);
        }
        if !alive {
            atomicAdd(&dead, 1u);
        }
    }
    workgroupBarrier();
    if lid == 0u {
        out[P.offset + model * P.stride] = f32(atomicLoad(&dead));
    }
}
