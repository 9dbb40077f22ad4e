// Softmax cross-entropy of logits [models][rows][cols] against labels [rows], one workgroup
// per model. Each invocation takes rows lid, lid + 256, …; the workgroup then sums the loss
// and the correct count in workgroup memory and one invocation adds them to
// stats[(slot * models + model) * 2 + {0, 1}] — no float atomics needed. With has_grad it
// also writes (softmax - onehot) / rows, the gradient of the mean loss.
struct Params {
    models: u32,
    rows: u32,
    cols: u32,
    slot: u32,
    has_grad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;

var<workgroup> loss_part: array<f32, 256>;
var<workgroup> correct_part: array<u32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
    let model = wg.x;
    var loss = 0.0;
    var correct = 0u;
    for (var row = lid; row < P.rows; row += 256u) {
        let at = (model * P.rows + row) * P.cols;
        let label = u32(labels[row]);
        // The first maximum wins ties, like backend::reduce::argmax.
        var best = 0u;
        var top = logits[at];
        for (var c = 1u; c < P.cols; c++) {
            if logits[at + c] > top {
                top = logits[at + c];
                best = c;
            }
        }
        var sum = 0.0;
        for (var c = 0u; c < P.cols; c++) {
            sum += exp(logits[at + c] - top);
        }
        let lse = top + log(sum);
        loss += lse - logits[at + label];
        correct += u32(best == label);
        if P.has_grad != 0u {
            for (var c = 0u; c < P.cols; c++) {
                let onehot = select(0.0, 1.0, c == label);
                grad[at + c] = (exp(logits[at + c] - lse) - onehot) / f32(P.rows);
            }
        }
    }
    loss_part[lid] = loss;
    correct_part[lid] = correct;
    workgroupBarrier();
    for (var half = 128u; half > 0u; half >>= 1u) {
        if lid < half {
            loss_part[lid] += loss_part[lid + half];
            correct_part[lid] += correct_part[lid + half];
        }
        workgroupBarrier();
    }
    if lid == 0u {
        let o = (P.slot * P.models + model) * 2u;
        stats[o] += loss_part[0];
        stats[o + 1u] += f32(correct_part[0]);
    }
}
