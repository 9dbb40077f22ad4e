// Adds each model's predictions on logits [models][rows][cols] (cols classes, at most 32)
// against labels [rows] to out[model][label][predicted]. One workgroup per model counts in
// workgroup atomics, then adds the counts to its own region: no other workgroup writes there,
// so a plain read-add-write is safe.
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// 32 × 32 classes: 4 KiB of the 16 KiB of workgroup memory WebGPU guarantees.
var<workgroup> counts: array<atomic<u32>, 1024>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let model = wg.x;
    let cells = P.cols * P.cols;
    for (var i = lid; i < cells; i += 256u) {
        atomicStore(&counts[i], 0u);
    }
    workgroupBarrier();
    for (var row = lid; row < P.rows; row += 256u) {
        let at = (model * P.rows + row) * P.cols;
        // The first maximum wins ties (and a NaN never beats anything), like backend::reduce::argmax.
        var best = 0u;
        var top = logits[at];
        for (var c = 1u; c < P.cols; c++) {
            if logits[at + c] > top {
                top = logits[at + c];
                best = c;
            }
        }
        let label = u32(labels[row]);
        // The loader checks labels; one out of range is skipped, not counted out of bounds.
        if label < P.cols {
            atomicAdd(&counts[label * P.cols + best], 1u);
        }
    }
    workgroupBarrier();
    for (var i = lid; i < cells; i += 256u) {
        let o = model * cells + i;
        out[o] += f32(atomicLoad(&counts[i]));
    }
}
