//! The CPU backend: the reference every GPU kernel is tested against. Matrix products go to
//! `gemm` (packed register-tile kernels of our own); natively they are split into row blocks
//! over a rayon pool of a chosen size, and in the page's threaded wasm build over rayon's
//! global pool of Web Workers. The elementwise passes are plain loops in `cpu_elementwise.rs`
//! (the optimizers' split into chunks over the same pool); its [`super::ViewOps`] are in
//! `cpu_views.rs`.

use super::cpu_elementwise as elementwise;
use super::gemm::{self, Kernel};
use super::reduce::argmax;
use super::{Activation, AdamStep, Buf, DataId, Dropout, Gemm, ReadFuture, SgdStep, Shape, TrainOps};

struct Resident {
    pixels: Vec<u8>,
    labels: Vec<u8>,
    pixels_per_image: usize,
}

pub struct CpuBackend {
    bufs: Vec<Vec<f32>>,
    data: Vec<Resident>,
    threads: usize,
    /// What runs the products: [`Kernel::chosen`] unless a test picks another.
    kernel: Kernel,
    #[cfg(not(target_arch = "wasm32"))]
    pool: Option<rayon::ThreadPool>,
}

impl CpuBackend {
    /// A backend that runs matrix products on `threads` threads natively (`threads == 0`: one
    /// per available core). In wasm `threads` is not used: the threaded build (target feature
    /// `atomics`) runs on rayon's global pool, which the worker builds with wasm-bindgen-rayon's
    /// `initThreadPool` before it opens a session (without it rayon falls back to the calling
    /// thread); the plain build runs on one thread.
    pub fn new(threads: usize) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let threads =
                if threads == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { threads };
            let pool =
                (threads > 1).then(|| rayon::ThreadPoolBuilder::new().num_threads(threads).build().ok()).flatten();
            let threads = if pool.is_some() { threads } else { 1 };
            CpuBackend { bufs: Vec::new(), data: Vec::new(), threads, kernel: Kernel::chosen(), pool }
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = threads;
            #[cfg(target_feature = "atomics")]
            let threads = rayon::current_num_threads();
            #[cfg(not(target_feature = "atomics"))]
            let threads = 1;
            CpuBackend { bufs: Vec::new(), data: Vec::new(), threads, kernel: Kernel::chosen() }
        }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The same backend with its matrix products on `kernel` instead of the one this CPU
    /// prefers, so that tests reach every kernel the machine has.
    ///
    /// # Panics
    /// If this CPU lacks `kernel` ([`Kernel::available`]).
    pub fn with_gemm_kernel(self, kernel: Kernel) -> Self {
        assert!(kernel.available(), "this CPU lacks the {kernel:?} matrix-product kernel");
        CpuBackend { kernel, ..self }
    }

    pub(super) fn buf(&self, b: Buf) -> &[f32] {
        &self.bufs[b.0 as usize]
    }

    fn buf_mut(&mut self, b: Buf) -> &mut [f32] {
        &mut self.bufs[b.0 as usize]
    }

    /// Runs `f` with `out` taken out of the arena, so that it can be written while other
    /// buffers are read. `out` must not be one of the buffers `f` reads.
    pub(super) fn with_out<R>(&mut self, out: Buf, f: impl FnOnce(&Self, &mut [f32]) -> R) -> R {
        let mut taken = std::mem::take(&mut self.bufs[out.0 as usize]);
        let r = f(self, &mut taken);
        self.bufs[out.0 as usize] = taken;
        r
    }

    /// Runs `f` among the backend's threads and returns its result; `None`, without running
    /// it, where there is one thread.
    #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
    fn in_pool<R: Send>(&self, f: impl FnOnce() -> R + Send) -> Option<R> {
        #[cfg(not(target_arch = "wasm32"))]
        return self.pool.as_ref().map(|pool| pool.install(f));
        #[cfg(target_arch = "wasm32")]
        return (self.threads > 1).then(f);
    }

    /// Runs the row-block tasks of a product, in parallel where there are threads.
    fn run_blocks(&self, tasks: &[GemmBlock]) {
        #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
        {
            use rayon::prelude::*;
            if self.in_pool(|| tasks.par_iter().for_each(GemmBlock::run)).is_some() {
                return;
            }
        }
        tasks.iter().for_each(GemmBlock::run);
    }

    /// SGD streams three to five floats per parameter: at depth, a large share of a step.
    fn sgd_slices(&self, p: &mut [f32], v: &mut [f32], g: &[f32], h: &SgdStep) {
        #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
        if p.len() >= 2 * OPTIMIZER_CHUNK {
            use rayon::prelude::*;
            let chunks = || {
                p.par_chunks_mut(OPTIMIZER_CHUNK)
                    .zip(v.par_chunks_mut(OPTIMIZER_CHUNK))
                    .zip(g.par_chunks(OPTIMIZER_CHUNK))
                    .for_each(|((p, v), g)| elementwise::sgd(p, v, g, h))
            };
            if self.in_pool(chunks).is_some() {
                return;
            }
        }
        elementwise::sgd(p, v, g, h);
    }

    /// Adam streams seven floats per parameter: worth every thread for the big layers.
    fn adam_slices(&self, p: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32], h: &AdamStep) {
        #[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
        if p.len() >= 2 * OPTIMIZER_CHUNK {
            use rayon::prelude::*;
            let chunks = || {
                p.par_chunks_mut(OPTIMIZER_CHUNK)
                    .zip(m.par_chunks_mut(OPTIMIZER_CHUNK))
                    .zip(v.par_chunks_mut(OPTIMIZER_CHUNK))
                    .zip(g.par_chunks(OPTIMIZER_CHUNK))
                    .for_each(|(((p, m), v), g)| elementwise::adam(p, m, v, g, h))
            };
            if self.in_pool(chunks).is_some() {
                return;
            }
        }
        elementwise::adam(p, m, v, g, h);
    }
}

/// One model's product restricted to a block of C's rows. Raw pointers because the blocks
/// write disjoint rows of one output buffer from several threads.
struct GemmBlock {
    kernel: Kernel,
    m: usize,
    n: usize,
    k: usize,
    a: *const f32,
    rsa: isize,
    csa: isize,
    b: *const f32,
    rsb: isize,
    csb: isize,
    c: *mut f32,
    rsc: isize,
}

// SAFETY: every block points into buffers that outlive `run_blocks`, and blocks write
// disjoint rows of C.
unsafe impl Send for GemmBlock {}
unsafe impl Sync for GemmBlock {}

impl GemmBlock {
    fn run(&self) {
        // SAFETY: the strides and sizes were checked against the buffer lengths in `gemm`;
        // `CpuBackend` only holds an available kernel.
        unsafe {
            let a = gemm::View { ptr: self.a, rs: self.rsa, cs: self.csa };
            let b = gemm::View { ptr: self.b, rs: self.rsb, cs: self.csb };
            gemm::sgemm_with(self.kernel, self.m, self.n, self.k, a, b, self.c, self.rsc);
        }
    }
}

impl TrainOps for CpuBackend {
    fn name(&self) -> String {
        let threads = match self.threads {
            1 => "1 thread".to_string(),
            t => format!("{t} threads"),
        };
        // The page's relaxed-SIMD builds: the GEMM kernel then uses fused multiply-adds.
        let relaxed = if cfg!(target_feature = "relaxed-simd") { ", relaxed SIMD" } else { "" };
        format!("CPU ({threads}{relaxed})")
    }

    fn alloc(&mut self, len: usize) -> Buf {
        self.bufs.push(vec![0.0; len]);
        Buf(self.bufs.len() as u32 - 1)
    }

    fn write(&mut self, buf: Buf, data: &[f32]) {
        self.buf_mut(buf)[..data.len()].copy_from_slice(data);
    }

    fn fill(&mut self, buf: Buf, value: f32) {
        self.buf_mut(buf).fill(value);
    }

    fn copy(&mut self, src: Buf, dst: Buf, dst_offset: usize, len: usize) {
        self.with_out(dst, |s, d| d[dst_offset..dst_offset + len].copy_from_slice(&s.buf(src)[..len]));
    }

    fn read(&mut self, buf: Buf) -> ReadFuture {
        Box::pin(std::future::ready(Ok(self.buf(buf).to_vec())))
    }

    fn upload_data(&mut self, pixels: &[u8], labels: &[u8], pixels_per_image: usize) -> DataId {
        self.data.push(Resident { pixels: pixels.to_vec(), labels: labels.to_vec(), pixels_per_image });
        DataId(self.data.len() as u32 - 1)
    }

    fn gather(&mut self, data: DataId, indices: &[u32], x: Buf, labels: Buf) {
        let d = &self.data[data.0 as usize];
        let ppi = d.pixels_per_image;
        let xs = &mut self.bufs[x.0 as usize];
        for (row, &i) in indices.iter().enumerate() {
            let src = &d.pixels[i as usize * ppi..(i as usize + 1) * ppi];
            for (dst, &p) in xs[row * ppi..(row + 1) * ppi].iter_mut().zip(src) {
                *dst = p as f32 / 255.0;
            }
        }
        let ls = &mut self.bufs[labels.0 as usize];
        for (dst, &i) in ls.iter_mut().zip(indices) {
            *dst = d.labels[i as usize] as f32;
        }
    }

    fn gemm(&mut self, g: &Gemm, a: Buf, b: Buf, c: Buf) {
        assert!(a != c && b != c, "gemm output must not alias an input");
        let (m, n, k) = (g.m, g.n, g.k);
        let a_len = if g.shared_a { m * k } else { g.models * m * k };
        assert!(self.buf(a).len() >= a_len && self.buf(b).len() >= g.models * k * n);
        assert!(self.buf(c).len() >= g.models * m * n);
        let (rsa, csa) = if g.trans_a { (1, m as isize) } else { (k as isize, 1) };
        let (rsb, csb) = if g.trans_b { (1, k as isize) } else { (n as isize, 1) };
        // Row blocks: enough for every thread, in whole register tiles of the kernel.
        let per_model = self.threads.div_ceil(g.models).max(1);
        let rows = m.div_ceil(per_model).next_multiple_of(self.kernel.row_tile(m, n)).max(1);
        self.with_out(c, |s, cbuf| {
            let (abuf, bbuf) = (s.buf(a), s.buf(b));
            let mut tasks = Vec::new();
            for model in 0..g.models {
                let a0 = if g.shared_a { 0 } else { model * m * k };
                for i0 in (0..m).step_by(rows) {
                    let mb = rows.min(m - i0);
                    tasks.push(GemmBlock {
                        kernel: s.kernel,
                        m: mb,
                        n,
                        k,
                        a: abuf[a0..].as_ptr().wrapping_offset(i0 as isize * rsa),
                        rsa,
                        csa,
                        b: bbuf[model * k * n..].as_ptr(),
                        rsb,
                        csb,
                        c: cbuf[model * m * n + i0 * n..].as_mut_ptr(),
                        rsc: n as isize,
                    });
                }
            }
            s.run_blocks(&tasks);
        });
    }

    fn bias_act(&mut self, z: Buf, bias: Buf, s: Shape, act: Activation, dropout: Option<Dropout>) {
        self.with_out(z, |me, zs| {
            let bs = me.buf(bias);
            elementwise::bias_activate(&mut zs[..s.len()], bs, s, act, dropout);
        });
    }

    fn act_backward(&mut self, grad: Buf, out: Buf, s: Shape, act: Activation, dropout: Option<Dropout>) {
        self.with_out(grad, |me, g| {
            let outs = me.buf(out);
            elementwise::scale_by_slope(&mut g[..s.len()], outs, s, act, dropout);
        });
    }

    fn col_sum(&mut self, x: Buf, s: Shape, out: Buf) {
        self.with_out(out, |me, o| {
            let xs = me.buf(x);
            for model in 0..s.models {
                let om = &mut o[model * s.cols..(model + 1) * s.cols];
                om.fill(0.0);
                for row in xs[model * s.rows * s.cols..(model + 1) * s.rows * s.cols].chunks(s.cols) {
                    om.iter_mut().zip(row).for_each(|(a, &b)| *a += b);
                }
            }
        });
    }

    fn softmax_xent(&mut self, logits: Buf, labels: Buf, s: Shape, grad: Option<Buf>, stats: Buf, slot: usize) {
        let mut sums = vec![(0.0f32, 0.0f32); s.models];
        let mut g = grad.map(|g| std::mem::take(&mut self.bufs[g.0 as usize]));
        let (zs, ls) = (self.buf(logits), self.buf(labels));
        for (model, sum) in sums.iter_mut().enumerate() {
            for (row, &label) in ls[..s.rows].iter().enumerate() {
                let at = (model * s.rows + row) * s.cols;
                let z = &zs[at..at + s.cols];
                let label = label as usize;
                let (best, max) = argmax(z);
                let lse = max + z.iter().map(|&v| (v - max).exp()).sum::<f32>().ln();
                sum.0 += lse - z[label];
                sum.1 += (best == label) as u32 as f32;
                if let Some(g) = g.as_deref_mut() {
                    for (c, gv) in g[at..at + s.cols].iter_mut().enumerate() {
                        let onehot = (c == label) as u32 as f32;
                        *gv = ((z[c] - lse).exp() - onehot) / s.rows as f32;
                    }
                }
            }
        }
        if let (Some(buf), Some(g)) = (grad, g) {
            self.bufs[buf.0 as usize] = g;
        }
        let st = self.buf_mut(stats);
        for (model, (loss, correct)) in sums.into_iter().enumerate() {
            st[(slot * s.models + model) * 2] += loss;
            st[(slot * s.models + model) * 2 + 1] += correct;
        }
    }

    fn adam(&mut self, param: Buf, grad: Buf, m_buf: Buf, v_buf: Buf, len: usize, h: &AdamStep) {
        let mut ps = std::mem::take(&mut self.bufs[param.0 as usize]);
        let mut ms = std::mem::take(&mut self.bufs[m_buf.0 as usize]);
        let mut vs = std::mem::take(&mut self.bufs[v_buf.0 as usize]);
        self.adam_slices(&mut ps[..len], &mut ms[..len], &mut vs[..len], &self.buf(grad)[..len], h);
        self.bufs[param.0 as usize] = ps;
        self.bufs[m_buf.0 as usize] = ms;
        self.bufs[v_buf.0 as usize] = vs;
    }

    fn sgd(&mut self, param: Buf, grad: Buf, velocity: Buf, len: usize, h: &SgdStep) {
        let mut ps = std::mem::take(&mut self.bufs[param.0 as usize]);
        self.with_out(velocity, |me, vs| me.sgd_slices(&mut ps[..len], &mut vs[..len], &me.buf(grad)[..len], h));
        self.bufs[param.0 as usize] = ps;
    }
}

/// Parameters per parallel optimizer task.
#[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
const OPTIMIZER_CHUNK: usize = 1 << 15;
