//! Opening the device: everything here can fail on a user's machine, so every failure is a
//! `BackendError` and nothing panics. Async because the browser cannot block.

use super::kernels::{MatmulKernel, Pipelines};
use super::record::{INDEX_WORDS, Recorder};
use super::{Faults, GpuBackend, Slot};
use crate::backend::BackendError;
use std::sync::{Arc, Mutex, PoisonError};

impl GpuBackend {
    /// Opens the most capable adapter there is (natively a CPU rasterizer such as llvmpipe
    /// will do) with WebGPU's default limits but the adapter's own largest buffer and binding,
    /// and compiles every kernel.
    pub async fn new() -> Result<GpuBackend, BackendError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                ..Default::default()
            })
            .await
            .map_err(|e| BackendError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        // The adapter's own largest buffer and binding, not WebGPU's defaults (128 MiB per
        // binding): the data set and a run's largest tensors must each fit one binding.
        let has = adapter.limits();
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: has.max_storage_buffer_binding_size,
            max_buffer_size: has.max_buffer_size,
            ..wgpu::Limits::default()
        };
        let max_binding_bytes =
            usize::try_from(limits.max_storage_buffer_binding_size.min(limits.max_buffer_size)).unwrap_or(usize::MAX);
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("weight-init-lab"),
                required_limits: limits,
                ..Default::default()
            })
            .await
            .map_err(|e| BackendError::Device(e.to_string()))?;

        // Errors outside an error scope would otherwise panic (wgpu's default handler); they
        // are kept for the next `read` to report.
        let faults = Arc::new(Mutex::new(Faults::default()));
        let sink = Arc::clone(&faults);
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            lock(&sink).error.get_or_insert_with(|| e.to_string());
        }));
        let sink = Arc::clone(&faults);
        device.set_device_lost_callback(move |reason, message| {
            lock(&sink).lost.get_or_insert_with(|| format!("{reason:?}: {message}"));
        });

        let software = info.device_type == wgpu::DeviceType::Cpu;
        let matmul = MatmulKernel::for_adapter(software);
        let kernels = Pipelines::compile(&device, matmul).await?;
        let recorder = Recorder::new(&device, &queue);
        Ok(GpuBackend {
            name: adapter_name(&info),
            software,
            matmul,
            slots: initial_slots(&device),
            device,
            kernels,
            data: Vec::new(),
            recorder,
            faults,
            max_binding_bytes,
        })
    }

    /// Whether the adapter is a software renderer on the CPU (Mesa's llvmpipe, Chromium's
    /// SwiftShader): far slower than the CPU backend for this network.
    pub fn is_software(&self) -> bool {
        self.software
    }

    /// The same device with its matrix products on `matmul`'s shader (new pipelines; the
    /// buffers stay): for testing both shaders on one adapter.
    ///
    /// # Errors
    /// [`BackendError::Shader`] when that shader does not compile here.
    pub async fn with_matmul(mut self, matmul: MatmulKernel) -> Result<GpuBackend, BackendError> {
        self.flush();
        self.kernels = Pipelines::compile(&self.device, matmul).await?;
        self.matmul = matmul;
        self.recorder = self.recorder.sibling();
        Ok(self)
    }

    /// Binds no buffer larger than `bytes` (at most the device's limit): a large data set is
    /// then split into more chunks, and a run whose tensors do not fit is refused. For testing
    /// the behaviour of a smaller device on this one.
    pub fn limit_bindings(&mut self, bytes: usize) {
        self.max_binding_bytes = self.max_binding_bytes.min(bytes.max(4));
    }

    /// An empty backend on the same device with the same compiled kernels: a new trainer
    /// starts at once instead of opening a device and compiling every kernel again. The
    /// buffers of each backend are freed when it is dropped.
    pub fn sibling(&self) -> GpuBackend {
        GpuBackend {
            name: self.name.clone(),
            software: self.software,
            matmul: self.matmul,
            slots: initial_slots(&self.device),
            device: self.device.clone(),
            kernels: self.kernels.clone(),
            data: Vec::new(),
            recorder: self.recorder.sibling(),
            faults: Arc::clone(&self.faults),
            max_binding_bytes: self.max_binding_bytes,
        }
    }
}

/// The arena's first slots, in the order of the slot numbers INDEX_RING and UNUSED_OUTPUT.
fn initial_slots(device: &wgpu::Device) -> Vec<Slot> {
    vec![
        Slot { buffer: Recorder::index_ring(device, INDEX_WORDS), len: INDEX_WORDS },
        Slot { buffer: unused_output(device), len: 1 },
    ]
}

fn unused_output(device: &wgpu::Device) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("unused output"),
        size: 4,
        usage: wgpu::BufferUsages::STORAGE,
        mapped_at_creation: false,
    })
}

/// "llvmpipe (LLVM 15.0.6, 256 bits) · Vulkan"; browsers may hide the adapter's name.
fn adapter_name(info: &wgpu::AdapterInfo) -> String {
    let backend = match info.backend {
        wgpu::Backend::BrowserWebGpu => "WebGPU".to_string(),
        other => format!("{other:?}"),
    };
    match info.name.as_str() {
        "" if info.device_type == wgpu::DeviceType::Cpu => format!("software adapter · {backend}"),
        "" => format!("GPU · {backend}"),
        name => format!("{name} · {backend}"),
    }
}

/// The faults stay readable even if a callback panicked while holding the lock.
pub(super) fn lock(faults: &Mutex<Faults>) -> std::sync::MutexGuard<'_, Faults> {
    faults.lock().unwrap_or_else(PoisonError::into_inner)
}
