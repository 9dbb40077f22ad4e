//! The kernel table: one WGSL file per kernel, each with its bindings, compiled once into a
//! pipeline. Binding 0 of every kernel is its parameters (a uniform at a dynamic offset of the
//! recorder's ring); bindings 1, 2, … are storage buffers.

use crate::backend::BackendError;

const COMMON: &str = include_str!("../../../shaders/common.wgsl");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Kernel {
    Fill,
    Gather,
    Matmul,
    BiasAct,
    ReluBackward,
    ColSum,
    SoftmaxXent,
    Adam,
    Sgd,
}

/// The most storage buffers a kernel binds (gather's five; the default limit is eight).
pub(super) const MAX_STORAGE: usize = 5;

impl Kernel {
    const ALL: [Kernel; 9] = [
        Kernel::Fill,
        Kernel::Gather,
        Kernel::Matmul,
        Kernel::BiasAct,
        Kernel::ReluBackward,
        Kernel::ColSum,
        Kernel::SoftmaxXent,
        Kernel::Adam,
        Kernel::Sgd,
    ];

    /// The kernel's file name in `shaders/`, also its name in error messages.
    fn name(self) -> &'static str {
        match self {
            Kernel::Fill => "fill",
            Kernel::Gather => "gather",
            Kernel::Matmul => "matmul",
            Kernel::BiasAct => "bias_act",
            Kernel::ReluBackward => "relu_backward",
            Kernel::ColSum => "col_sum",
            Kernel::SoftmaxXent => "softmax_xent",
            Kernel::Adam => "adam",
            Kernel::Sgd => "sgd",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Kernel::Fill => include_str!("../../../shaders/fill.wgsl"),
            Kernel::Gather => include_str!("../../../shaders/gather.wgsl"),
            Kernel::Matmul => include_str!("../../../shaders/matmul.wgsl"),
            Kernel::BiasAct => include_str!("../../../shaders/bias_act.wgsl"),
            Kernel::ReluBackward => include_str!("../../../shaders/relu_backward.wgsl"),
            Kernel::ColSum => include_str!("../../../shaders/col_sum.wgsl"),
            Kernel::SoftmaxXent => include_str!("../../../shaders/softmax_xent.wgsl"),
            Kernel::Adam => include_str!("../../../shaders/adam.wgsl"),
            Kernel::Sgd => include_str!("../../../shaders/sgd.wgsl"),
        }
    }

    /// Whether the kernel writes each storage binding, in binding order from 1.
    fn writes(self) -> &'static [bool] {
        match self {
            Kernel::Fill => &[true],
            // pixels, labels, indices -> x, labels
            Kernel::Gather => &[false, false, false, true, true],
            // a, b -> c
            Kernel::Matmul => &[false, false, true],
            // z (in place), bias
            Kernel::BiasAct => &[true, false],
            // grad (in place), out
            Kernel::ReluBackward => &[true, false],
            // x -> out
            Kernel::ColSum => &[false, true],
            // logits, labels -> grad, stats
            Kernel::SoftmaxXent => &[false, false, true, true],
            // param, grad, m, v
            Kernel::Adam => &[true, false, true, true],
            // param, grad
            Kernel::Sgd => &[true, false],
        }
    }
}

/// A compiled kernel: the layout its bind groups are made for, and its pipeline.
#[derive(Clone)]
pub(super) struct Compiled {
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::ComputePipeline,
}

/// Every kernel, compiled, indexed by `Kernel as usize`. Cloning shares the pipelines.
#[derive(Clone)]
pub(super) struct Pipelines(Vec<Compiled>);

impl Pipelines {
    pub async fn compile(device: &wgpu::Device) -> Result<Pipelines, BackendError> {
        let mut compiled = Vec::with_capacity(Kernel::ALL.len());
        for kernel in Kernel::ALL {
            compiled.push(compile(device, kernel.name(), kernel.source(), kernel.writes()).await?);
        }
        Ok(Pipelines(compiled))
    }

    pub fn get(&self, kernel: Kernel) -> &Compiled {
        &self.0[kernel as usize]
    }
}

/// Compiles one kernel (prefixed with `shaders/common.wgsl`). Errors are caught by error
/// scopes, so a bad shader becomes `BackendError::Shader` instead of the device's uncaptured
/// error; in the browser the scopes resolve asynchronously.
async fn compile(device: &wgpu::Device, name: &str, source: &str, writes: &[bool]) -> Result<Compiled, BackendError> {
    let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(name),
        source: wgpu::ShaderSource::Wgsl(format!("{COMMON}\n{source}").into()),
    });
    let params = std::iter::once(wgpu::BindingType::Buffer {
        ty: wgpu::BufferBindingType::Uniform,
        has_dynamic_offset: true,
        min_binding_size: None,
    });
    let storage = writes.iter().map(|&write| wgpu::BindingType::Buffer {
        ty: wgpu::BufferBindingType::Storage { read_only: !write },
        has_dynamic_offset: false,
        min_binding_size: None,
    });
    let entries: Vec<_> = params
        .chain(storage)
        .enumerate()
        .map(|(binding, ty)| wgpu::BindGroupLayoutEntry {
            binding: binding as u32,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty,
            count: None,
        })
        .collect();
    let layout =
        device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some(name), entries: &entries });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(name),
        bind_group_layouts: &[Some(&layout)],
        immediate_size: 0,
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(name),
        layout: Some(&pipeline_layout),
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    });
    let internal = internal.pop();
    let validation = validation.pop();
    match (internal.await, validation.await) {
        (None, None) => Ok(Compiled { layout, pipeline }),
        (Some(e), _) | (None, Some(e)) => {
            Err(BackendError::Shader { kernel: name.to_string(), message: e.to_string() })
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// A kernel that does not compile is reported by name, not as a panic of the device.
    #[test]
    fn broken_kernel_is_named_in_the_error() {
        let Some(gpu) = super::super::test_backend() else {
            return;
        };
        let broken = "fn main() { let x: u32 = ; }";
        match pollster::block_on(compile(&gpu.device, "broken", broken, &[])) {
            Err(BackendError::Shader { kernel, message }) => {
                assert_eq!(kernel, "broken");
                assert!(!message.is_empty());
            }
            Err(e) => panic!("wrong error: {e}"),
            Ok(_) => panic!("a broken kernel compiled"),
        }
    }
}
