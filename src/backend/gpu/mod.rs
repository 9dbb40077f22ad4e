//! The wgpu backend: every op of [`TrainOps`] and [`super::ViewOps`] is one WGSL compute kernel
//! (`shaders/`), recorded into a single command encoder that is submitted only when a result
//! is read back or a per-call ring fills, so a training step costs a handful of submits per
//! many steps.
//!
//! - `setup`: adapter, device (default WebGPU limits) and pipelines, all fallible and async;
//! - `kernels`: the kernel table (each kernel's shader, storage bindings and typed parameters)
//!   and pipeline creation with error scopes;
//! - `record`: the open encoder, the per-call rings and the bind-group cache;
//! - `readback`: `read`'s 'static future;
//! - `views`: the reductions for the views.

mod kernels;
mod readback;
mod record;
mod setup;
mod views;

use super::{Activation, AdamStep, Buf, DataId, Dropout, Gemm, ReadFuture, SgdStep, Shape, TrainOps};
pub use kernels::MatmulKernel;
use kernels::{
    ActBackwardParams, AdamParams, BiasActParams, ColSumParams, FillParams, GatherParams, MatmulParams, Params,
    SgdParams, SoftmaxXentParams,
};
use record::Recorder;
use std::sync::{Arc, Mutex};
use wgpu::util::DeviceExt;

/// Invocations per workgroup of the element kernels (`flat_index` in shaders/common.wgsl).
const GROUP: usize = 256;
/// The most histogram bins and confusion-matrix classes: the sizes of the workgroup arrays
/// their kernels count in (shaders/histogram.wgsl, shaders/confusion.wgsl), ample for the
/// views' histograms and the lesson's 10 classes.
pub const MAX_BINS: usize = 64;
pub const MAX_CLASSES: usize = 32;

/// Arena slots made at setup: the recorder's gather-index ring, and a buffer bound in place
/// of an absent optional buffer (softmax without gradient, moments without `minus`).
const INDEX_RING: u32 = 0;
const UNUSED_OUTPUT: u32 = 1;

/// A resident data set: its label bytes, and its pixel bytes in chunks of whole images that
/// each fit one storage binding, packed into u32 words, as arena entries.
struct Resident {
    /// `(arena slot, first image)` of each chunk, in order.
    chunks: Vec<(u32, usize)>,
    labels: u32,
    pixels_per_image: usize,
}

/// A buffer of the arena and the number of floats it holds (the GPU buffer is never empty).
struct Slot {
    buffer: wgpu::Buffer,
    len: usize,
}

/// What went wrong on the device outside any call, reported by the next `read`.
#[derive(Default)]
struct Faults {
    lost: Option<String>,
    error: Option<String>,
}

pub struct GpuBackend {
    name: String,
    /// The adapter is a CPU rasterizer (llvmpipe, SwiftShader), not a GPU.
    software: bool,
    /// Which shader the matrix products run.
    matmul: MatmulKernel,
    device: wgpu::Device,
    kernels: kernels::Pipelines,
    /// Every buffer: `INDEX_RING`, `UNUSED_OUTPUT`, then the trainer's (`Buf`) and the data
    /// sets' in order of creation.
    slots: Vec<Slot>,
    data: Vec<Resident>,
    recorder: Recorder,
    faults: Arc<Mutex<Faults>>,
    /// The largest storage binding this backend makes, in bytes: the device's limit, or less
    /// when lowered with [`GpuBackend::limit_bindings`].
    max_binding_bytes: usize,
}

impl GpuBackend {
    fn push_slot(&mut self, buffer: wgpu::Buffer, len: usize) -> u32 {
        self.slots.push(Slot { buffer, len });
        self.slots.len() as u32 - 1
    }

    /// A storage buffer for `contents`, padded to whole u32 words.
    fn upload_bytes(&mut self, label: &str, bytes: &[u8]) -> u32 {
        let mut words = vec![0u32; bytes.len().div_ceil(4).max(1)];
        bytemuck::cast_slice_mut::<u32, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        let buffer = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(label),
            contents: bytemuck::cast_slice(&words),
            usage: wgpu::BufferUsages::STORAGE,
        });
        self.push_slot(buffer, 0)
    }

    /// One dispatch of an element kernel over `len` invocations.
    fn elementwise(&mut self, params: &impl Params, buffers: &[u32], len: usize) {
        let groups = len.div_ceil(GROUP);
        let x = groups.min(record::MAX_GROUPS_PER_DIM);
        let y = groups.div_ceil(record::MAX_GROUPS_PER_DIM);
        self.dispatch(params, buffers, [x as u32, y as u32, 1]);
    }
}

/// Shapes and counts are far below 2^32 in this project; kernels index with u32.
fn u(x: usize) -> u32 {
    x as u32
}

impl TrainOps for GpuBackend {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn device_work(&self) -> Option<super::DeviceWork> {
        Some(self.recorder.work)
    }

    fn alloc(&mut self, len: usize) -> Buf {
        // wgpu zero-initializes buffers; an empty one still needs a bindable size.
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("tensor"),
            size: (len.max(1) * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Buf(self.push_slot(buffer, len))
    }

    fn write(&mut self, buf: Buf, data: &[f32]) {
        if data.is_empty() {
            return;
        }
        // Staged through the encoder (not queue.write_buffer, which would run before the calls
        // already recorded) so the write lands in call order.
        let staging = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("write"),
            contents: bytemuck::cast_slice(data),
            usage: wgpu::BufferUsages::COPY_SRC,
        });
        let dst = &self.slots[buf.0 as usize].buffer;
        self.recorder.copy(&staging, 0, dst, 0, (data.len() * 4) as u64);
    }

    fn fill(&mut self, buf: Buf, value: f32) {
        let len = self.slots[buf.0 as usize].len;
        self.elementwise(&FillParams { len: u(len), value }, &[buf.0], len);
    }

    fn copy(&mut self, src: Buf, dst: Buf, dst_offset: usize, len: usize) {
        if len == 0 {
            return;
        }
        let (s, d) = (&self.slots[src.0 as usize].buffer, &self.slots[dst.0 as usize].buffer);
        self.recorder.copy(s, 0, d, (dst_offset * 4) as u64, (len * 4) as u64);
    }

    fn read(&mut self, buf: Buf) -> ReadFuture {
        self.read_slot(buf.0)
    }

    fn max_buffer_len(&self) -> usize {
        self.max_binding_bytes / 4
    }

    fn upload_data(&mut self, pixels: &[u8], labels: &[u8], pixels_per_image: usize) -> DataId {
        // Whole images per chunk; labels take one byte per image, far below any binding limit.
        let per_chunk = (self.max_binding_bytes / pixels_per_image.max(1)).max(1);
        let chunks = pixels
            .chunks(per_chunk * pixels_per_image.max(1))
            .enumerate()
            .map(|(c, bytes)| (self.upload_bytes("data pixels", bytes), c * per_chunk))
            .collect();
        let labels = self.upload_bytes("data labels", labels);
        self.data.push(Resident { chunks, labels, pixels_per_image });
        DataId(self.data.len() as u32 - 1)
    }

    /// One dispatch per chunk of the data set that holds images of the batch (one for a data
    /// set that fits a binding), each writing its images' rows.
    fn gather(&mut self, data: DataId, indices: &[u32], x: Buf, labels: Buf) {
        let d = &self.data[data.0 as usize];
        let (data_labels, ppi) = (d.labels, d.pixels_per_image);
        let bounds: Vec<(u32, usize, usize)> = d
            .chunks
            .iter()
            .enumerate()
            .map(|(c, &(slot, first))| (slot, first, d.chunks.get(c + 1).map_or(usize::MAX, |next| next.1)))
            .collect();
        for (slot, first, end) in bounds {
            let pairs: Vec<u32> = (0..indices.len())
                .filter(|&row| (first..end).contains(&(indices[row] as usize)))
                .flat_map(|row| [u(row), indices[row]])
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let rows = pairs.len() / 2;
            let offset = self.push_indices(&pairs);
            let params = GatherParams { rows: u(rows), pixels: u(ppi), offset, first_image: u(first) };
            self.elementwise(&params, &[slot, data_labels, INDEX_RING, x.0, labels.0], rows * ppi);
        }
    }

    fn gemm(&mut self, g: &Gemm, a: Buf, b: Buf, c: Buf) {
        assert!(a != c && b != c, "gemm output must not alias an input");
        let a_stride = if g.shared_a { 0 } else { g.m * g.k };
        let params = MatmulParams {
            m: u(g.m),
            n: u(g.n),
            k: u(g.k),
            trans_a: g.trans_a.into(),
            trans_b: g.trans_b.into(),
            a_stride: u(a_stride),
        };
        let tile = self.matmul.tile();
        let groups = [g.n.div_ceil(tile), g.m.div_ceil(tile), g.models].map(u);
        self.dispatch(&params, &[a.0, b.0, c.0], groups);
    }

    fn bias_act(&mut self, z: Buf, bias: Buf, s: Shape, act: Activation, dropout: Option<Dropout>) {
        let d = dropout.unwrap_or(Dropout { p: 0.0, seed: 0, stream: 0 });
        let params = BiasActParams {
            models: u(s.models),
            rows: u(s.rows),
            cols: u(s.cols),
            act: act.code(),
            dropout: dropout.is_some().into(),
            seed: d.seed,
            stream: d.stream,
            p: d.p,
        };
        self.elementwise(&params, &[z.0, bias.0], s.len());
    }

    fn act_backward(&mut self, grad: Buf, out: Buf, s: Shape, act: Activation, dropout: Option<Dropout>) {
        let d = dropout.unwrap_or(Dropout { p: 0.0, seed: 0, stream: 0 });
        let params = ActBackwardParams {
            len: u(s.len()),
            per_model: u(s.rows * s.cols),
            act: act.code(),
            dropout: dropout.is_some().into(),
            seed: d.seed,
            stream: d.stream,
            p: d.p,
            scale: d.scale(),
        };
        self.elementwise(&params, &[grad.0, out.0], s.len());
    }

    fn col_sum(&mut self, x: Buf, s: Shape, out: Buf) {
        let params = ColSumParams { models: u(s.models), rows: u(s.rows), cols: u(s.cols) };
        self.elementwise(&params, &[x.0, out.0], s.models * s.cols);
    }

    fn softmax_xent(&mut self, logits: Buf, labels: Buf, s: Shape, grad: Option<Buf>, stats: Buf, slot: usize) {
        let params = SoftmaxXentParams {
            models: u(s.models),
            rows: u(s.rows),
            cols: u(s.cols),
            slot: u(slot),
            has_grad: grad.is_some().into(),
        };
        let grad = grad.map_or(UNUSED_OUTPUT, |g| g.0);
        let buffers = [logits.0, labels.0, grad, stats.0];
        self.dispatch(&params, &buffers, [u(s.models), 1, 1]);
    }

    fn adam(&mut self, param: Buf, grad: Buf, m: Buf, v: Buf, len: usize, h: &AdamStep) {
        let params = AdamParams {
            len: u(len),
            beta1: h.beta1,
            beta2: h.beta2,
            eps: h.eps,
            step_size: h.lr / h.bias_correction1,
            sqrt_bc2: h.bias_correction2.sqrt(),
        };
        self.elementwise(&params, &[param.0, grad.0, m.0, v.0], len);
    }

    fn sgd(&mut self, param: Buf, grad: Buf, velocity: Buf, len: usize, h: &SgdStep) {
        let params = SgdParams { len: u(len), lr: h.lr, momentum: h.momentum };
        let velocity = if h.momentum == 0.0 { UNUSED_OUTPUT } else { velocity.0 };
        self.elementwise(&params, &[param.0, grad.0, velocity], len);
    }
}

/// For the unit tests: the backend, or `None` (skip) without an adapter unless
/// `WIL_REQUIRE_GPU=1` (as `cargo xtask test` sets it unless `--no-gpu`), where a missing GPU
/// fails the test.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn test_backend() -> Option<GpuBackend> {
    match pollster::block_on(GpuBackend::new()) {
        Ok(gpu) => Some(gpu),
        Err(e) if std::env::var("WIL_REQUIRE_GPU").as_deref() == Ok("1") => panic!("{e}"),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}
