//! The kernel table: every kernel declared once — its file in `shaders/`, its storage
//! bindings, and its parameters as a Rust struct laid out like the shader's `struct Params` —
//! and compiled once into a pipeline. Binding 0 of every kernel is its parameters (a uniform
//! at a dynamic offset of the recorder's ring); bindings 1, 2, … are storage buffers.

use crate::backend::BackendError;

const COMMON: &str = include_str!("../../../shaders/common.wgsl");

/// How a kernel uses a storage binding, as its WGSL declares it (`var<storage, read>` or
/// `var<storage, read_write>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Read,
    ReadWrite,
}

/// One row of the table.
#[derive(Clone, Copy)]
struct KernelSpec {
    /// The file name in `shaders/` without `.wgsl`, also the kernel's name in errors.
    name: &'static str,
    source: &'static str,
    /// Bindings 1, 2, … in order.
    storage: &'static [Access],
    /// What the shader must declare to match this row; the tests below read it from the WGSL.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    declares: Declares,
}

/// The names the shader gives its storage bindings, and its `struct Params` as
/// `(field, type)` pairs with the Rust struct's size in bytes.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[derive(Clone, Copy)]
struct Declares {
    storage: &'static [&'static str],
    params: &'static [(&'static str, &'static str)],
    params_size: usize,
}

/// The parameters of one kernel (its binding 0), field for field its WGSL `struct Params`.
/// Every field is a 4-byte scalar, so neither language inserts padding; no padding to 16 bytes
/// is needed either, because the binding is always a whole 256-byte slot of the ring.
pub(super) trait Params: bytemuck::Pod {
    const KERNEL: Kernel;
}

/// Declares the `Kernel` enum, the table in the same order, and one `Params` struct per kernel.
macro_rules! kernel_table {
    ($(
        $(#[doc = $doc:literal])*
        $kernel:ident => $file:literal, storage [$($binding:ident: $access:ident),* $(,)?],
        struct $params:ident { $($(#[doc = $field_doc:literal])* $field:ident: $ty:ident),* $(,)? }
    )*) => {
        /// A row of the table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(super) enum Kernel {
            $($kernel),*
        }

        /// Indexed by `Kernel as usize`.
        const TABLE: &[KernelSpec] = &[$(KernelSpec {
            name: $file,
            source: include_str!(concat!("../../../shaders/", $file, ".wgsl")),
            storage: &[$(Access::$access),*],
            #[cfg(all(test, not(target_arch = "wasm32")))]
            declares: Declares {
                storage: &[$(stringify!($binding)),*],
                params: &[$((stringify!($field), stringify!($ty))),*],
                params_size: size_of::<$params>(),
            },
        }),*];

        $(
            $(#[doc = $doc])*
            #[repr(C)]
            #[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
            pub(super) struct $params {
                $($(#[doc = $field_doc])* pub $field: $ty),*
            }

            impl Params for $params {
                const KERNEL: Kernel = Kernel::$kernel;
            }
        )*
    };
}

// Flags are u32 (0 or 1): WGSL has no bool in uniforms.
kernel_table! {
    /// `buf[i] = value` for `i < len`.
    Fill => "fill", storage [buf: ReadWrite],
    struct FillParams { len: u32, value: f32 }

    /// For each (row, image) pair at `indices[offset..offset + 2·rows]`, the image (one of a
    /// chunk of the data set starting at `first_image`; bytes packed four to a u32 word) as
    /// floats in [0, 1] into row `row` of `x` (`[rows][pixels]`), its label into `labels`.
    Gather => "gather",
    storage [data_pixels: Read, data_labels: Read, indices: Read, x: ReadWrite, labels: ReadWrite],
    struct GatherParams {
        rows: u32,
        /// Bytes per image.
        pixels: u32,
        /// Where this call's indices start in the index ring, in words.
        offset: u32,
        /// The first image of the data set's chunk bound as `data_pixels`.
        first_image: u32,
    }

    /// `C[m×n] = op(A)[m×k] · op(B)[k×n]` per model (workgroup z); A stored `[k×m]` with
    /// `trans_a`, B stored `[n×k]` with `trans_b`.
    Matmul => "matmul", storage [a: Read, b: Read, c: ReadWrite],
    struct MatmulParams {
        m: u32,
        n: u32,
        k: u32,
        trans_a: u32,
        trans_b: u32,
        /// Floats from one model's A to the next: `m·k`, or 0 when every model shares A.
        a_stride: u32,
    }

    /// In place: `z = dropout(act(z + bias))` over `[models][rows][cols]`, bias `[models][cols]`.
    BiasAct => "bias_act", storage [z: ReadWrite, bias: Read],
    struct BiasActParams {
        models: u32,
        rows: u32,
        cols: u32,
        /// `Activation::code`.
        act: u32,
        dropout: u32,
        /// The dropout mask's seed and stream (`Dropout`); ignored without dropout.
        seed: u32,
        stream: u32,
        /// Drop probability.
        p: f32,
    }

    /// In place over `len` floats: `grad = 0` where dropout dropped the element, else
    /// `grad *= φ'(out·(1 − p))·scale` (`TrainOps::act_backward`).
    ActBackward => "act_backward", storage [grad: ReadWrite, out: Read],
    struct ActBackwardParams {
        len: u32,
        /// Elements of one model: the dropout mask's index is taken within it.
        per_model: u32,
        /// `Activation::code`.
        act: u32,
        dropout: u32,
        seed: u32,
        stream: u32,
        p: f32,
        /// `1 / (1 − p)`; 1 without dropout.
        scale: f32,
    }

    /// `out[model][col] = Σ_rows x[model][row][col]`.
    ColSum => "col_sum", storage [x: Read, out: ReadWrite],
    struct ColSumParams { models: u32, rows: u32, cols: u32 }

    /// Softmax cross-entropy of logits `[models][rows][cols]` against labels `[rows]`: adds each
    /// model's loss sum and correct count to `stats[(slot · models + model) · 2 + {0, 1}]`, and
    /// with `has_grad` writes the mean loss's gradient to `grad`.
    SoftmaxXent => "softmax_xent", storage [logits: Read, labels: Read, grad: ReadWrite, stats: ReadWrite],
    struct SoftmaxXentParams { models: u32, rows: u32, cols: u32, slot: u32, has_grad: u32 }

    /// One Adam step on `len` parameters, in place on `param`, `m` and `v`.
    Adam => "adam", storage [param: ReadWrite, grad: Read, m: ReadWrite, v: ReadWrite],
    struct AdamParams {
        len: u32,
        beta1: f32,
        beta2: f32,
        eps: f32,
        /// `lr / (1 - beta1^t)`
        step_size: f32,
        /// `sqrt(1 - beta2^t)`
        sqrt_bc2: f32,
    }

    /// SGD over `len` floats: `param -= lr · grad`, or with `momentum` μ > 0
    /// `velocity = μ · velocity + grad; param -= lr · velocity`.
    Sgd => "sgd", storage [param: ReadWrite, grad: Read, velocity: ReadWrite],
    struct SgdParams { len: u32, lr: f32, momentum: f32 }

    // The reductions for the views, each the twin of a function of `backend::reduce`. Per-model
    // results go to `out[offset + model · stride]` (`Region`).

    /// `[Σd, Σd², min d, max d, non-finite count]` of `d = x − minus` (`d = x` without
    /// `has_minus`) over each model's `len` values.
    Moments => "moments", storage [x: Read, minus: Read, out: ReadWrite],
    struct MomentsParams { models: u32, len: u32, has_minus: u32, offset: u32, stride: u32 }

    /// Counts of each model's `len` values in `count` (≤ 64) bins over `[lo, hi)` of the value
    /// or, with `symlog`, of its symlog; then the non-finite count.
    Histogram => "histogram", storage [x: Read, out: ReadWrite],
    struct HistogramParams {
        models: u32,
        len: u32,
        count: u32,
        symlog: u32,
        lo: f32,
        hi: f32,
        offset: u32,
        stride: u32,
        /// Nonzero: bin over each model's finite range instead of `[lo, hi)`.
        data_range: u32,
    }

    /// How many columns of each model's `[rows][cols]` are ≤ 0 in every row.
    DeadUnits => "dead_units", storage [x: Read, out: ReadWrite],
    struct DeadUnitsParams { models: u32, rows: u32, cols: u32, offset: u32, stride: u32 }

    /// Two hashes of each column of `x` `[models][rows][cols]` and its `bias[model][col]`, at
    /// `out[(model · cols + col) · 2]`.
    Fingerprints => "fingerprints", storage [x: Read, bias: Read, out: ReadWrite],
    struct FingerprintsParams { models: u32, rows: u32, cols: u32 }

    /// Adds each model's `(label, first-max prediction)` counts to `out[model][label][pred]`.
    Confusion => "confusion", storage [logits: Read, labels: Read, out: ReadWrite],
    struct ConfusionParams { models: u32, rows: u32, cols: u32 }

    /// `out[model][c][row] = x[model][row][c]` for `c < taken`.
    Columns => "columns", storage [x: Read, out: ReadWrite],
    struct ColumnsParams { models: u32, rows: u32, cols: u32, taken: u32 }
}

/// The most storage buffers a kernel binds (at most eight by the default limits).
pub(super) const MAX_STORAGE: usize = {
    let (mut most, mut i) = (0, 0);
    while i < TABLE.len() {
        if TABLE[i].storage.len() > most {
            most = TABLE[i].storage.len();
        }
        i += 1;
    }
    most
};

/// A compiled kernel: the layout its bind groups are made for, and its pipeline.
#[derive(Clone)]
pub(super) struct Compiled {
    pub layout: wgpu::BindGroupLayout,
    pub pipeline: wgpu::ComputePipeline,
}

/// The two shaders of `Kernel::Matmul`: the same product and bindings, staged for a GPU or
/// for a CPU that emulates one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatmulKernel {
    /// `shaders/matmul.wgsl`: 64×64 tiles staged in workgroup memory, 8×8 outputs per
    /// invocation (measured on an NVIDIA H200: 0.54 ms per training step of one model).
    Tiled,
    /// `shaders/matmul_direct.wgsl`: 4×4 outputs per invocation straight from storage, no
    /// barrier (SwiftShader: a step of two models 52 ms, against 198 ms tiled).
    Direct,
}

impl MatmulKernel {
    /// `Direct` for a software adapter (llvmpipe, SwiftShader), `Tiled` for a GPU.
    pub fn for_adapter(software: bool) -> MatmulKernel {
        if software { MatmulKernel::Direct } else { MatmulKernel::Tiled }
    }

    /// The side of the square of C one workgroup computes.
    pub(super) fn tile(self) -> usize {
        match self {
            MatmulKernel::Tiled => 64,
            MatmulKernel::Direct => 32,
        }
    }

    /// The table's `Matmul` row with this kernel's shader.
    fn spec(self) -> KernelSpec {
        let tiled = TABLE[Kernel::Matmul as usize];
        match self {
            MatmulKernel::Tiled => tiled,
            MatmulKernel::Direct => KernelSpec {
                name: "matmul_direct",
                source: include_str!("../../../shaders/matmul_direct.wgsl"),
                ..tiled
            },
        }
    }
}

/// Every kernel, compiled, indexed by `Kernel as usize`. Cloning shares the pipelines.
#[derive(Clone)]
pub(super) struct Pipelines(Vec<Compiled>);

impl Pipelines {
    /// Compiles every kernel of the table, `Matmul` from `matmul`'s shader.
    pub async fn compile(device: &wgpu::Device, matmul: MatmulKernel) -> Result<Pipelines, BackendError> {
        let mut compiled = Vec::with_capacity(TABLE.len());
        for (i, spec) in TABLE.iter().enumerate() {
            let spec = if i == Kernel::Matmul as usize { matmul.spec() } else { *spec };
            compiled.push(compile(device, &spec).await?);
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
async fn compile(device: &wgpu::Device, spec: &KernelSpec) -> Result<Compiled, BackendError> {
    let name = spec.name;
    let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(name),
        source: wgpu::ShaderSource::Wgsl(format!("{COMMON}\n{}", spec.source).into()),
    });
    let params = std::iter::once(wgpu::BindingType::Buffer {
        ty: wgpu::BufferBindingType::Uniform,
        has_dynamic_offset: true,
        min_binding_size: None,
    });
    let storage = spec.storage.iter().map(|&access| wgpu::BindingType::Buffer {
        ty: wgpu::BufferBindingType::Storage { read_only: access == Access::Read },
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
#[path = "kernels_tests.rs"]
mod tests;
