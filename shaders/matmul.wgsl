// C[m×n] = op(A)[m×k] · op(B)[k×n] for a stack of models (workgroup z = model). A stored
// [k×m] when trans_a, B stored [n×k] when trans_b; a_stride is 0 when all models share A.
//
// Each workgroup computes a 64×64 tile of C with 8×8 invocations, each an 8×8 block held in
// four 4×4 matrices, walking k in slices of 16 staged in workgroup memory (2 × 4 KiB, well
// under the 16 KiB default). Large blocks per invocation mean few workgroup-memory reads per
// multiply-add. This is the GPUs' kernel; software adapters run matmul_direct.wgsl.
// Out-of-range rows, columns and k read as zeros, so no shape has to be a tile multiple.
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

const TILE: u32 = 64u;
const SLICE: u32 = 16u;
const THREADS: u32 = 64u;

// tile_a[p * 16 + i / 4][i % 4] = op(A)[row0 + i][k0 + p]; tile_b likewise with columns j, so
// each step of k reads two vec4 of rows and two vec4 of columns.
var<workgroup> tile_a: array<vec4<f32>, 256>;
var<workgroup> tile_b: array<vec4<f32>, 256>;

fn load_a(base: u32, i: u32, p: u32) -> f32 {
    if i >= P.m || p >= P.k {
        return 0.0;
    }
    return a[base + select(i * P.k + p, p * P.m + i, P.trans_a != 0u)];
}

fn load_b(base: u32, p: u32, j: u32) -> f32 {
    if p >= P.k || j >= P.n {
        return 0.0;
    }
    return b[base + select(p * P.n + j, j * P.k + p, P.trans_b != 0u)];
}

// Vec4 `idx` of a tile as (index along the tile's 64-wide side / 4, step of k): the wide side
// varies fastest across invocations where it is contiguous in memory.
fn split(idx: u32, wide_contiguous: bool) -> vec2<u32> {
    return select(vec2(idx / SLICE, idx % SLICE), vec2(idx % 16u, idx / 16u), wide_contiguous);
}

// Column q of the result is rows · cols[q]: the 4×4 block of C in column-major order.
fn outer(rows: vec4<f32>, cols: vec4<f32>) -> mat4x4<f32> {
    return mat4x4(rows * cols.x, rows * cols.y, rows * cols.z, rows * cols.w);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row0 = wg.y * TILE;
    let col0 = wg.x * TILE;
    let a_base = wg.z * P.a_stride;
    let b_base = wg.z * P.k * P.n;
    let t = lid.y * 8u + lid.x;
    var acc00 = mat4x4<f32>();
    var acc01 = mat4x4<f32>();
    var acc10 = mat4x4<f32>();
    var acc11 = mat4x4<f32>();
    for (var k0 = 0u; k0 < P.k; k0 += SLICE) {
        // 256 vec4 (4 rows of A, or 4 columns of B) per tile, 4 per invocation; neighbouring
        // invocations take neighbouring addresses of whichever layout A and B are stored in.
        for (var e = 0u; e < 4u; e++) {
            let idx = t + e * THREADS;
            let ap = split(idx, P.trans_a != 0u);
            let i4 = ap.x;
            let p = ap.y;
            let i = row0 + i4 * 4u;
            tile_a[p * 16u + i4] = vec4(
                load_a(a_base, i, k0 + p),
                load_a(a_base, i + 1u, k0 + p),
                load_a(a_base, i + 2u, k0 + p),
                load_a(a_base, i + 3u, k0 + p),
            );
            let bq = split(idx, P.trans_b == 0u);
            let j4 = bq.x;
            let q = bq.y;
            let j = col0 + j4 * 4u;
            tile_b[q * 16u + j4] = vec4(
                load_b(b_base, k0 + q, j),
                load_b(b_base, k0 + q, j + 1u),
                load_b(b_base, k0 + q, j + 2u),
                load_b(b_base, k0 + q, j + 3u),
            );
        }
        workgroupBarrier();
        for (var p = 0u; p < SLICE; p++) {
            let a0 = tile_a[p * 16u + lid.y * 2u];
            let a1 = tile_a[p * 16u + lid.y * 2u + 1u];
            let b0 = tile_b[p * 16u + lid.x * 2u];
            let b1 = tile_b[p * 16u + lid.x * 2u + 1u];
            acc00 += outer(a0, b0);
            acc01 += outer(a0, b1);
            acc10 += outer(a1, b0);
            acc11 += outer(a1, b1);
        }
        workgroupBarrier();
    }
    let c_base = wg.z * P.m * P.n;
    let row = row0 + lid.y * 8u;
    let col = col0 + lid.x * 8u;
    store(c_base, row, col, acc00);
    store(c_base, row, col + 4u, acc01);
    store(c_base, row + 4u, col, acc10);
    store(c_base, row + 4u, col + 4u, acc11);
}

// Writes the 4×4 block `v` (column-major) at (row, col), clipped to C.
fn store(base: u32, row: u32, col: u32, v: mat4x4<f32>) {
    for (var q = 0u; q < 4u; q++) {
        for (var r = 0u; r < 4u; r++) {
            if row + r < P.m && col + q < P.n {
                c[base + (row + r) * P.n + col + q] = v[q][r];
            }
        }
    }
}
