//! The lesson's MLP for a stack of models: its shape, its buffers on a backend, and the
//! forward pass, backward pass and optimizer update written once against [`TrainOps`].

use crate::backend::{Activation, AdamStep, Buf, Dropout, Gemm, SgdStep, Shape, TrainOps};
use crate::init::{Initializer, LayerInit};
use crate::seeds::MaskStreams;

/// Layer widths from input to output, e.g. the lesson's `[784, 256, 128, 10]`, and the
/// hidden layers' activation (the output layer's logits are linear).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MlpShape {
    pub sizes: Vec<usize>,
    pub activation: Activation,
}

impl MlpShape {
    /// The shape with ReLU hidden layers, as the lesson's.
    pub fn new(inputs: usize, hidden: &[usize], classes: usize) -> Self {
        let mut sizes = vec![inputs];
        sizes.extend_from_slice(hidden);
        sizes.push(classes);
        MlpShape { sizes, activation: Activation::Relu }
    }

    pub fn with_activation(self, activation: Activation) -> Self {
        MlpShape { activation, ..self }
    }

    /// Hidden layers: every layer but the output.
    pub fn hidden_layers(&self) -> usize {
        self.layers() - 1
    }

    pub fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// `(fan_in, fan_out)` of layer `l`.
    pub fn dims(&self, l: usize) -> (usize, usize) {
        (self.sizes[l], self.sizes[l + 1])
    }

    pub fn classes(&self) -> usize {
        self.sizes[self.sizes.len() - 1]
    }

    /// Initial parameters of one model, every layer from its own seed stream.
    pub fn init(&self, init: &Initializer, seed: u64) -> Vec<LayerInit> {
        (0..self.layers())
            .map(|l| {
                let (fan_in, fan_out) = self.dims(l);
                init.init_layer(fan_in, fan_out, seed, l)
            })
            .collect()
    }
}

/// How the optimizer updates parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Update {
    Adam(AdamStep),
    Sgd(SgdStep),
}

/// Hidden layer `l`'s dropout mask under `dropout` (probability, masks), if it drops at all.
fn mask(dropout: Option<(f32, MaskStreams)>, l: usize) -> Option<Dropout> {
    dropout.filter(|d| d.0 > 0.0).map(|(p, masks)| Dropout {
        p,
        seed: masks.seed,
        stream: masks.first_stream.wrapping_add(l as u32),
    })
}

struct LayerBufs {
    w: Buf,
    b: Buf,
    dw: Buf,
    db: Buf,
    /// Adam's first and second moments of `w` and `b` (SGD's velocity is in `mw` and `mb`).
    mw: Buf,
    vw: Buf,
    mb: Buf,
    vb: Buf,
}

/// N models of one shape on a backend, with room for batches of up to `max_rows` images.
pub struct Stack {
    pub shape: MlpShape,
    pub models: usize,
    /// The input batch `[rows][inputs]` (shared by every model) and its labels `[rows]`.
    pub x: Buf,
    pub labels: Buf,
    layers: Vec<LayerBufs>,
    /// Each layer's output `[models][rows][width]` (activation and dropout applied; the last is
    /// the logits), and the loss gradient with respect to it.
    outs: Vec<Buf>,
    grads: Vec<Buf>,
}

impl Stack {
    pub fn new(backend: &mut dyn TrainOps, shape: MlpShape, models: usize, max_rows: usize) -> Stack {
        let x = backend.alloc(max_rows * shape.sizes[0]);
        let labels = backend.alloc(max_rows);
        let layers = (0..shape.layers())
            .map(|l| {
                let (i, o) = shape.dims(l);
                let mut alloc = |len| backend.alloc(models * len);
                LayerBufs {
                    w: alloc(i * o),
                    b: alloc(o),
                    dw: alloc(i * o),
                    db: alloc(o),
                    mw: alloc(i * o),
                    vw: alloc(i * o),
                    mb: alloc(o),
                    vb: alloc(o),
                }
            })
            .collect();
        let mut acts = |_| (1..shape.sizes.len()).map(|l| backend.alloc(models * max_rows * shape.sizes[l])).collect();
        let outs = acts(());
        let grads = acts(());
        Stack { shape, models, x, labels, layers, outs, grads }
    }

    /// The buffers that make up the training state (parameters and optimizer moments), in a
    /// fixed order: what survives a switch of backend.
    pub fn state_bufs(&self) -> Vec<Buf> {
        self.layers.iter().flat_map(|l| [l.w, l.b, l.mw, l.vw, l.mb, l.vb]).collect()
    }

    /// Writes fresh parameters (one `Vec<LayerInit>` per model) and zeroes the optimizer state.
    pub fn load_init(&self, backend: &mut dyn TrainOps, params: &[Vec<LayerInit>]) {
        for (l, bufs) in self.layers.iter().enumerate() {
            let w: Vec<f32> = params.iter().flat_map(|p| p[l].weights.iter().copied()).collect();
            let b: Vec<f32> = params.iter().flat_map(|p| p[l].bias.iter().copied()).collect();
            backend.write(bufs.w, &w);
            backend.write(bufs.b, &b);
            for m in [bufs.mw, bufs.vw, bufs.mb, bufs.vb] {
                backend.fill(m, 0.0);
            }
        }
    }

    /// The shape of layer `l`'s output for `rows` images.
    pub fn act_shape(&self, rows: usize, l: usize) -> Shape {
        Shape { models: self.models, rows, cols: self.shape.sizes[l + 1] }
    }

    /// Forward pass of `rows` images in `x`; with `dropout` (probability, masks) hidden layer
    /// `l` drops with the mask of stream `first_stream + l`.
    pub fn forward(&self, backend: &mut dyn TrainOps, rows: usize, dropout: Option<(f32, MaskStreams)>) {
        let last = self.shape.layers() - 1;
        for (l, bufs) in self.layers.iter().enumerate() {
            let (fan_in, fan_out) = self.shape.dims(l);
            let input = if l == 0 { self.x } else { self.outs[l - 1] };
            let g = Gemm {
                models: self.models,
                m: rows,
                n: fan_out,
                k: fan_in,
                trans_a: false,
                trans_b: false,
                shared_a: l == 0,
            };
            backend.gemm(&g, input, bufs.w, self.outs[l]);
            let s = self.act_shape(rows, l);
            if l == last {
                backend.bias_act(self.outs[l], bufs.b, s, Activation::Linear, None);
            } else {
                backend.bias_act(self.outs[l], bufs.b, s, self.shape.activation, mask(dropout, l));
            }
        }
    }

    /// The loss of the last forward pass, added to `stats` at `slot`; with `train`, also
    /// the gradient of the logits.
    pub fn loss(&self, backend: &mut dyn TrainOps, rows: usize, stats: Buf, slot: usize, train: bool) {
        let last = self.shape.layers() - 1;
        let grad = train.then_some(self.grads[last]);
        backend.softmax_xent(self.outs[last], self.labels, self.act_shape(rows, last), grad, stats, slot);
    }

    /// Backward pass after `forward` + `loss(train = true)`, with the dropout the forward
    /// pass used, filling every parameter gradient.
    pub fn backward(&self, backend: &mut dyn TrainOps, rows: usize, dropout: Option<(f32, MaskStreams)>) {
        for (l, bufs) in self.layers.iter().enumerate().rev() {
            let (fan_in, fan_out) = self.shape.dims(l);
            let input = if l == 0 { self.x } else { self.outs[l - 1] };
            let dw = Gemm {
                models: self.models,
                m: fan_in,
                n: fan_out,
                k: rows,
                trans_a: true,
                trans_b: false,
                shared_a: l == 0,
            };
            backend.gemm(&dw, input, self.grads[l], bufs.dw);
            backend.col_sum(self.grads[l], self.act_shape(rows, l), bufs.db);
            if l > 0 {
                let dx = Gemm {
                    models: self.models,
                    m: rows,
                    n: fan_in,
                    k: fan_out,
                    trans_a: false,
                    trans_b: true,
                    shared_a: false,
                };
                backend.gemm(&dx, self.grads[l], bufs.w, self.grads[l - 1]);
                let s = self.act_shape(rows, l - 1);
                backend.act_backward(
                    self.grads[l - 1],
                    self.outs[l - 1],
                    s,
                    self.shape.activation,
                    mask(dropout, l - 1),
                );
            }
        }
    }

    pub fn update(&self, backend: &mut dyn TrainOps, update: &Update) {
        for (l, bufs) in self.layers.iter().enumerate() {
            let (fan_in, fan_out) = self.shape.dims(l);
            let (wn, bn) = (self.models * fan_in * fan_out, self.models * fan_out);
            match update {
                Update::Adam(step) => {
                    backend.adam(bufs.w, bufs.dw, bufs.mw, bufs.vw, wn, step);
                    backend.adam(bufs.b, bufs.db, bufs.mb, bufs.vb, bn, step);
                }
                Update::Sgd(step) => {
                    backend.sgd(bufs.w, bufs.dw, bufs.mw, wn, step);
                    backend.sgd(bufs.b, bufs.db, bufs.mb, bn, step);
                }
            }
        }
    }

    /// Layer `l`'s weight buffer `[models][fan_in][fan_out]` and its gradient, for tests and
    /// diagnostics.
    pub fn weights(&self, l: usize) -> (Buf, Buf) {
        (self.layers[l].w, self.layers[l].dw)
    }

    /// Layer `l`'s bias buffer `[models][fan_out]` and its gradient.
    pub fn biases(&self, l: usize) -> (Buf, Buf) {
        (self.layers[l].b, self.layers[l].db)
    }

    /// Layer `l`'s output buffer from the last forward pass.
    pub fn output(&self, l: usize) -> Buf {
        self.outs[l]
    }
}
