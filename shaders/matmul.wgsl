// C[m×n] = op(A)[m×k] · op(B)[k×n] for a stack of models (workgroup z = model). A stored
// [k×m] when trans_a, B stored [n×k] when trans_b; a_stride is 0 when all models share A.
//
// Each workgroup computes a 64×64 tile of C with 16×16 invocations, 4×4 outputs each, walking
// k in slices of 16 staged in workgroup memory (2 × 4 KiB, well under the 16 KiB default).
// Out-of-range rows, columns and k are read as zeros, so no shape has to be a tile multiple.
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

// tile_a[p * 16 + i / 4][i % 4] = op(A)[row0 + i][k0 + p]; tile_b likewise with columns j, so
// the inner loop reads one vec4 of rows and one vec4 of columns per step of k.
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

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
    let row0 = wg.y * TILE;
    let col0 = wg.x * TILE;
    let a_base = wg.z * P.a_stride;
    let b_base = wg.z * P.k * P.n;
    let t = lid.y * 16u + lid.x;
    var acc: array<vec4<f32>, 4>;
    for (var k0 = 0u; k0 < P.k; k0 += SLICE) {
        // 1024 elements per tile, 4 per invocation; neighbouring invocations read neighbouring
        // addresses of whichever layout A and B are stored in.
        for (var e = 0u; e < 4u; e++) {
            let idx = t + e * 256u;
            var i = idx / SLICE;
            var p = idx % SLICE;
            if P.trans_a != 0u {
                i = idx % TILE;
                p = idx / TILE;
            }
            tile_a[p * 16u + i / 4u][i % 4u] = load_a(a_base, row0 + i, k0 + p);
            var j = idx % TILE;
            var q = idx / TILE;
            if P.trans_b != 0u {
                j = idx / SLICE;
                q = idx % SLICE;
            }
            tile_b[q * 16u + j / 4u][j % 4u] = load_b(b_base, k0 + q, col0 + j);
        }
        workgroupBarrier();
        for (var p = 0u; p < SLICE; p++) {
            let av = tile_a[p * 16u + lid.y];
            let bv = tile_b[p * 16u + lid.x];
            acc[0] += av.x * bv;
            acc[1] += av.y * bv;
            acc[2] += av.z * bv;
            acc[3] += av.w * bv;
        }
        workgroupBarrier();
    }
    let c_base = wg.z * P.m * P.n;
    for (var r = 0u; r < 4u; r++) {
        let row = row0 + lid.y * 4u + r;
        for (var q = 0u; q < 4u; q++) {
            let col = col0 + lid.x * 4u + q;
            if row < P.m && col < P.n {
                c[c_base + row * P.n + col] = acc[r][q];
            }
        }
    }
}
