//! The CPU backend's elementwise passes on slices: bias + activation + dropout and its
//! backward pass (one loop per activation), and the optimizers' updates. The twins of
//! `shaders/bias_act.wgsl`, `act_backward.wgsl`, `sgd.wgsl` and `adam.wgsl`.

use super::{Activation, AdamStep, Dropout, SgdStep, Shape, dropout};

/// Runs `$body` with `$a` bound to `act` as a constant, so that each activation's loop is
/// compiled on its own, its formula inlined (a match per element costs a tenth of a deep
/// step).
macro_rules! with_activation {
    ($act:expr, $a:ident => $body:expr) => {
        match $act {
            Activation::Relu => {
                const $a: Activation = Activation::Relu;
                $body
            }
            Activation::LeakyRelu => {
                const $a: Activation = Activation::LeakyRelu;
                $body
            }
            Activation::Tanh => {
                const $a: Activation = Activation::Tanh;
                $body
            }
            Activation::Sigmoid => {
                const $a: Activation = Activation::Sigmoid;
                $body
            }
            Activation::Linear => {
                const $a: Activation = Activation::Linear;
                $body
            }
        }
    };
}

/// `z = dropout(act(z + bias))` over `[models][rows][cols]` (`TrainOps::bias_act`).
pub(super) fn bias_activate(zs: &mut [f32], bs: &[f32], s: Shape, act: Activation, dropout: Option<Dropout>) {
    with_activation!(act, A => add_bias_activate(zs, bs, s, dropout, |z| A.apply(z)));
}

/// `grad *= act'(y)·scale`, 0 where dropped (`TrainOps::act_backward`).
pub(super) fn scale_by_slope(g: &mut [f32], outs: &[f32], s: Shape, act: Activation, dropout: Option<Dropout>) {
    with_activation!(act, A => scale_slopes(g, outs, s, dropout, |y| A.slope_from_output(y)));
}

/// `z = dropout(φ(z + bias))` over `[models][rows][cols]`, row by row; the mask index is
/// the element's within its model.
fn add_bias_activate(zs: &mut [f32], bs: &[f32], s: Shape, dropout: Option<Dropout>, phi: impl Fn(f32) -> f32) {
    for (model, zm) in zs.chunks_mut(s.rows * s.cols).enumerate() {
        let bm = &bs[model * s.cols..(model + 1) * s.cols];
        for (r, row) in zm.chunks_mut(s.cols).enumerate() {
            let rows = row.iter_mut().zip(bm);
            match dropout {
                None => rows.for_each(|(v, &b)| *v = phi(*v + b)),
                Some(d) => rows.enumerate().for_each(|(c, (v, &b))| {
                    let keep = dropout::keep(d.seed, d.stream, (r * s.cols + c) as u32, d.p);
                    *v = if keep { phi(*v + b) / (1.0 - d.p) } else { 0.0 };
                }),
            }
        }
    }
}

/// `grad *= φ'(y)·scale` from the outputs (`0` where dropout dropped the element), as
/// `TrainOps::act_backward` defines it.
fn scale_slopes(g: &mut [f32], outs: &[f32], s: Shape, dropout: Option<Dropout>, slope: impl Fn(f32) -> f32) {
    let per_model = s.rows * s.cols;
    for (gm, om) in g.chunks_mut(per_model).zip(outs.chunks(per_model)) {
        let pairs = gm.iter_mut().zip(om);
        match dropout {
            None => pairs.for_each(|(gv, &o)| *gv *= slope(o)),
            Some(d) => pairs.enumerate().for_each(|(i, (gv, &o))| {
                let keep = dropout::keep(d.seed, d.stream, i as u32, d.p);
                *gv = if keep { *gv * (slope(o * (1.0 - d.p)) * d.scale()) } else { 0.0 };
            }),
        }
    }
}

/// PyTorch's SGD step on equal-length slices (`v` untouched without momentum).
pub(super) fn sgd(p: &mut [f32], v: &mut [f32], g: &[f32], h: &SgdStep) {
    if h.momentum == 0.0 {
        p.iter_mut().zip(g).for_each(|(p, &g)| *p -= h.lr * g);
        return;
    }
    for ((p, v), &g) in p.iter_mut().zip(v.iter_mut()).zip(g) {
        *v = h.momentum * *v + g;
        *p -= h.lr * *v;
    }
}

/// PyTorch's Adam step, `p -= (lr / bc1) · m / (√v / √bc2 + eps)`, on equal-length slices.
pub(super) fn adam(p: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32], h: &AdamStep) {
    let step_size = h.lr / h.bias_correction1;
    let sqrt_bc2 = h.bias_correction2.sqrt();
    for (((p, m), v), &g) in p.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(g) {
        *m = h.beta1 * *m + (1.0 - h.beta1) * g;
        *v = h.beta2 * *v + (1.0 - h.beta2) * g * g;
        *p -= step_size * *m / (v.sqrt() / sqrt_bc2 + h.eps);
    }
}
