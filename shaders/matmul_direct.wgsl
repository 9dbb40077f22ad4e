// C[m×n] = op(A)[m×k] · op(B)[k×n] for a stack of models (workgroup z = model). A stored
// [k×m] when trans_a, B stored [n×k] when trans_b; a_stride is 0 when all models share A.
//
// The software adapters' kernel (matmul.wgsl is the GPUs'): each invocation computes a 4×4
// block of C straight from storage, with no workgroup memory and no barrier. CPU
// implementations of WebGPU run a workgroup's invocations as coroutines that switch at every
// barrier, which costs far more than the loads that staging saves (caches serve the repeated
// reads), and keep each invocation's values in SIMD registers across lanes, where 16
// accumulators fit and matmul.wgsl's 64 spill. Two models' training step on SwiftShader: 198 ms
// with matmul.wgsl, 68–91 ms with 8×8 blocks from storage, 52 ms with these 4×4 blocks.
// Workgroups of 8×8 invocations cover 32×32 tiles. Rows and columns past the edge read a
// clamped (valid) index, and are not stored.
struct Params {
    m: u32,
    n: u32,
    k: u32,
    trans_a: u32,
    trans_b: u32,
    a_stride: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const TILE: u32 = 32u;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row = wg.y * TILE + lid.y * 4u;
    let col = wg.x * TILE + lid.x * 4u;
    if row >= P.m || col >= P.n {
        return;
    }
    let a_base = wg.z * P.a_stride;
    let b_base = wg.z * P.k * P.n;
    // op(A)[i][p] = a[a_at[i] + p · a_step]; op(B)[p][j] = b[b_at[j] + p · b_step].
    let a_step = select(1u, P.m, P.trans_a != 0u);
    let b_step = select(P.n, 1u, P.trans_b != 0u);
    var a_at: array<u32, 4>;
    var b_at: array<u32, 4>;
    for (var e = 0u; e < 4u; e++) {
        let i = min(row + e, P.m - 1u);
        let j = min(col + e, P.n - 1u);
        a_at[e] = a_base + select(i * P.k, i, P.trans_a != 0u);
        b_at[e] = b_base + select(j, j * P.k, P.trans_b != 0u);
    }
    var acc = mat4x4<f32>();
    for (var p = 0u; p < P.k; p++) {
        let ao = p * a_step;
        let bo = p * b_step;
        let a0 = vec4(a[a_at[0] + ao], a[a_at[1] + ao], a[a_at[2] + ao], a[a_at[3] + ao]);
        let b0 = vec4(b[b_at[0] + bo], b[b_at[1] + bo], b[b_at[2] + bo], b[b_at[3] + bo]);
        acc += mat4x4(a0 * b0.x, a0 * b0.y, a0 * b0.z, a0 * b0.w);
    }
    let c_base = wg.z * P.m * P.n;
    for (var q = 0u; q < 4u; q++) {
        for (var r = 0u; r < 4u; r++) {
            if row + r < P.m && col + q < P.n {
                c[c_base + (row + r) * P.n + col + q] = acc[q][r];
            }
        }
    }
}
