//! The models of a run that share an architecture, stepped as one stack: one call per
//! operation for all of them (one dispatch each on a GPU). A run whose models all have the
//! run's settings is one group, as before per-model settings existed.

use super::spec::{ModelArch, ModelSpec};
use super::views::ViewBufs;
use super::{AdamStep, EVAL_ROWS, Optimizer, STATS_SLOTS, TrainConfig, TrainError};
use crate::backend::{Buf, SgdStep, TrainOps};
use crate::data::CLASSES;
use crate::model::{MlpShape, Stack, Update};

pub(super) struct Group {
    pub arch: ModelArch,
    /// The run's indices of this group's models, in run order; the stack's model `i` is the
    /// run's model `models[i]`.
    pub models: Vec<usize>,
    pub stack: Stack,
    pub views: ViewBufs,
    /// `[STATS_SLOTS][models][loss sum, correct]` of the steps not read back yet.
    pub stats: Buf,
    /// `[models][loss sum, correct]` of a validation pass.
    pub eval_stats: Buf,
}

impl Group {
    /// The run's models grouped by architecture, in order of each one's first model.
    pub fn plan(models: &[ModelSpec], config: &TrainConfig) -> Vec<(ModelArch, Vec<usize>)> {
        let mut groups: Vec<(ModelArch, Vec<usize>)> = Vec::new();
        for (m, spec) in models.iter().enumerate() {
            let arch = spec.arch(config);
            match groups.iter_mut().find(|(a, _)| *a == arch) {
                Some((_, members)) => members.push(m),
                None => groups.push((arch, vec![m])),
            }
        }
        groups
    }

    /// The shape of a group of `arch` on images of `inputs` pixels.
    pub fn shape(arch: &ModelArch, inputs: usize) -> MlpShape {
        MlpShape::new(inputs, &arch.hidden, CLASSES).with_activation(arch.activation)
    }

    /// The group of the run's models `members`, its buffers allocated on `backend`.
    pub fn new(
        backend: &mut dyn TrainOps,
        inputs: usize,
        arch: ModelArch,
        members: Vec<usize>,
        config: &TrainConfig,
    ) -> Group {
        let n = members.len();
        let stack = Stack::new(backend, Self::shape(&arch, inputs), n, config.batch_size.max(EVAL_ROWS));
        let views = ViewBufs::new(backend, &stack.shape, n);
        let stats = backend.alloc(STATS_SLOTS * n * 2);
        let eval_stats = backend.alloc(n * 2);
        Group { arch, models: members, stack, views, stats, eval_stats }
    }

    /// Every group of a run, allocated on `backend`.
    pub fn allocate(
        backend: &mut dyn TrainOps,
        inputs: usize,
        models: &[ModelSpec],
        config: &TrainConfig,
    ) -> Vec<Group> {
        Self::plan(models, config)
            .into_iter()
            .map(|(arch, members)| Self::new(backend, inputs, arch, members, config))
            .collect()
    }

    /// Whether every tensor of a run's groups fits one buffer of `backend` (a GPU binds each
    /// buffer whole; the data set itself is split into chunks by the backend).
    pub fn fits(
        backend: &dyn TrainOps,
        inputs: usize,
        models: &[ModelSpec],
        config: &TrainConfig,
    ) -> Result<(), TrainError> {
        for (arch, members) in Group::plan(models, config) {
            fits_one(backend, &Group::shape(&arch, inputs), members.len(), config)?;
        }
        Ok(())
    }

    /// The optimizer update of step `step` (1-based: Adam's bias correction counts it).
    pub fn update(&self, step: usize) -> Update {
        match self.arch.optimizer {
            Optimizer::Adam => {
                let t = step as i32;
                Update::Adam(AdamStep {
                    lr: self.arch.lr,
                    beta1: 0.9,
                    beta2: 0.999,
                    eps: 1e-8,
                    bias_correction1: (1.0 - 0.9f64.powi(t)) as f32,
                    bias_correction2: (1.0 - 0.999f64.powi(t)) as f32,
                })
            }
            Optimizer::Sgd => Update::Sgd(SgdStep { lr: self.arch.lr, momentum: self.arch.momentum }),
        }
    }
}

/// Whether every tensor of `models` models of `shape` fits one buffer of `backend`.
fn fits_one(backend: &dyn TrainOps, shape: &MlpShape, models: usize, config: &TrainConfig) -> Result<(), TrainError> {
    let rows = config.batch_size.max(EVAL_ROWS);
    let layers = (0..shape.layers()).map(|l| shape.dims(l));
    let weights = layers.clone().map(|(i, o)| (models * i * o, format!("the weights of {models} models × {i} × {o}")));
    let activations = layers.map(|(_, o)| (models * rows * o, format!("{models} models × {rows} rows × {o} units")));
    let input = (rows * shape.sizes[0], format!("{rows} images × {} pixels", shape.sizes[0]));
    let (floats, what) = weights.chain(activations).chain([input]).max_by_key(|(n, _)| *n).unwrap_or_default();
    let limit = backend.max_buffer_len();
    if floats > limit {
        return Err(TrainError::DeviceLimit { what, needed_bytes: floats.saturating_mul(4), limit_bytes: limit * 4 });
    }
    Ok(())
}
