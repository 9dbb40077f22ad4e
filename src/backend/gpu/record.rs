//! Recording: calls become dispatches in one long-lived compute pass of one command encoder,
//! submitted only on `read` or when a ring fills. Per-call data that must not be overwritten
//! before the submit lives in two rings staged on the host and uploaded just before it:
//! parameters (a uniform, one 256-byte slot per call at a dynamic offset) and gather indices.

use super::kernels::{Kernel, MAX_STORAGE, Params};
use super::{GpuBackend, INDEX_RING};
use crate::backend::DeviceWork;
use std::collections::HashMap;
use std::num::NonZeroU64;

/// The default `max_compute_workgroups_per_dimension`.
pub(super) const MAX_GROUPS_PER_DIM: usize = 65_535;
/// One call's parameters, at the default `min_uniform_buffer_offset_alignment`.
const PARAM_SLOT: usize = 256;
/// Calls per submit at most: a training step makes a few dozen, so this covers many steps.
const PARAM_SLOTS: usize = 1024;
/// Gather indices per submit before the index ring grows (a batch takes 100).
pub(super) const INDEX_WORDS: usize = 16 * 1024;

/// Bind groups are cached by kernel and buffers: the trainer repeats the same calls on the
/// same buffers every step. Unused buffer places hold `u32::MAX`.
type BindKey = (Kernel, [u32; MAX_STORAGE]);

pub(super) struct Recorder {
    device: wgpu::Device,
    queue: wgpu::Queue,
    /// Declared before `encoder`: an open pass must end before its encoder goes.
    pass: Option<wgpu::ComputePass<'static>>,
    encoder: wgpu::CommandEncoder,
    pending: bool,
    params: wgpu::Buffer,
    params_staged: Vec<u8>,
    /// Staged for the index ring, the arena slot `INDEX_RING` (so that bind groups can name
    /// it like any buffer); its capacity is the slot's `len`.
    indices_staged: Vec<u32>,
    bind_groups: HashMap<BindKey, wgpu::BindGroup>,
    pub work: DeviceWork,
}

impl Recorder {
    /// A new, empty recorder on the same device and queue.
    pub fn sibling(&self) -> Recorder {
        Recorder::new(&self.device, &self.queue)
    }

    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> Recorder {
        Recorder {
            device: device.clone(),
            queue: queue.clone(),
            pass: None,
            encoder: device.create_command_encoder(&Default::default()),
            pending: false,
            params: device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("parameter ring"),
                size: (PARAM_SLOT * PARAM_SLOTS) as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }),
            params_staged: Vec::with_capacity(PARAM_SLOT * PARAM_SLOTS),
            indices_staged: Vec::new(),
            bind_groups: HashMap::new(),
            work: DeviceWork::default(),
        }
    }

    pub fn index_ring(device: &wgpu::Device, words: usize) -> wgpu::Buffer {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("index ring"),
            size: (words * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// A buffer-to-buffer copy, in call order with the dispatches around it.
    pub fn copy(&mut self, src: &wgpu::Buffer, src_offset: u64, dst: &wgpu::Buffer, dst_offset: u64, size: u64) {
        self.pass = None;
        self.encoder.copy_buffer_to_buffer(src, src_offset, dst, dst_offset, size);
        self.pending = true;
    }

    /// Uploads the rings and submits everything recorded so far.
    fn submit(&mut self, index_ring: &wgpu::Buffer) {
        self.pass = None;
        if !self.pending {
            return;
        }
        if !self.params_staged.is_empty() {
            self.queue.write_buffer(&self.params, 0, &self.params_staged);
        }
        if !self.indices_staged.is_empty() {
            self.queue.write_buffer(index_ring, 0, bytemuck::cast_slice(&self.indices_staged));
        }
        let encoder = std::mem::replace(&mut self.encoder, self.device.create_command_encoder(&Default::default()));
        self.queue.submit([encoder.finish()]);
        self.work.submits += 1;
        self.params_staged.clear();
        self.indices_staged.clear();
        self.pending = false;
        // Lets wgpu retire finished work (staging buffers of writes) between reads; a failure
        // here shows up at the next read, which waits on the device anyway.
        #[cfg(not(target_arch = "wasm32"))]
        let _ = self.device.poll(wgpu::PollType::Poll);
    }
}

impl GpuBackend {
    pub(super) fn flush(&mut self) {
        let ring = &self.slots[INDEX_RING as usize].buffer;
        self.recorder.submit(ring);
    }

    /// Makes room for one more call and `index_words` gather indices, submitting what is
    /// recorded when a ring is full and growing the index ring for an outsized request.
    fn reserve(&mut self, index_words: usize) {
        let r = &self.recorder;
        let capacity = self.slots[INDEX_RING as usize].len;
        if r.params_staged.len() + PARAM_SLOT > PARAM_SLOT * PARAM_SLOTS
            || r.indices_staged.len() + index_words > capacity
        {
            self.flush();
        }
        if index_words > capacity {
            let words = index_words.next_power_of_two();
            let slot = &mut self.slots[INDEX_RING as usize];
            slot.buffer = Recorder::index_ring(&self.device, words);
            slot.len = words;
            self.recorder.bind_groups.retain(|(_, buffers), _| !buffers.contains(&INDEX_RING));
        }
    }

    /// Stages gather indices for the index ring; returns their offset in it.
    pub(super) fn push_indices(&mut self, indices: &[u32]) -> u32 {
        // Room for the gather call too, so no submit falls between the indices and their use.
        self.reserve(indices.len());
        let offset = self.recorder.indices_staged.len() as u32;
        self.recorder.indices_staged.extend_from_slice(indices);
        offset
    }

    /// Records one dispatch of the kernel `P` belongs to, with `params` (binding 0) and the
    /// arena slots `buffers` (bindings 1, 2, …) over `groups` workgroups.
    pub(super) fn dispatch<P: Params>(&mut self, params: &P, buffers: &[u32], groups: [u32; 3]) {
        const { assert!(size_of::<P>() <= PARAM_SLOT) };
        if groups.contains(&0) {
            return;
        }
        self.reserve(0);
        let r = &mut self.recorder;
        let offset = r.params_staged.len();
        r.params_staged.extend_from_slice(bytemuck::bytes_of(params));
        r.params_staged.resize(offset + PARAM_SLOT, 0);

        let kernel = P::KERNEL;
        let mut key = (kernel, [u32::MAX; MAX_STORAGE]);
        key.1[..buffers.len()].copy_from_slice(buffers);
        let compiled = self.kernels.get(kernel);
        let bind_group = r.bind_groups.entry(key).or_insert_with(|| {
            let params = wgpu::BindGroupEntry {
                binding: 0,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &r.params,
                    offset: 0,
                    size: NonZeroU64::new(PARAM_SLOT as u64),
                }),
            };
            let storage = buffers.iter().enumerate().map(|(i, &slot)| wgpu::BindGroupEntry {
                binding: i as u32 + 1,
                resource: self.slots[slot as usize].buffer.as_entire_binding(),
            });
            let entries: Vec<_> = std::iter::once(params).chain(storage).collect();
            self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: None,
                layout: &compiled.layout,
                entries: &entries,
            })
        });
        let pass = r.pass.get_or_insert_with(|| r.encoder.begin_compute_pass(&Default::default()).forget_lifetime());
        pass.set_pipeline(&compiled.pipeline);
        pass.set_bind_group(0, &*bind_group, &[offset as u32]);
        pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
        r.pending = true;
        r.work.dispatches += 1;
    }
}
