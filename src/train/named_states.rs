//! Failures explained as results, beside divergence (`divergence.rs`): states of a model that
//! the signal's probe pass shows exactly, named so that the CLI's table, the JSON and the page
//! say the same words. A state is exact, never a threshold: a gradient that is tiny still
//! trains (slowly), one that is exactly 0 never will.

use std::fmt;

use serde::Serialize;

use crate::backend::Activation;

/// A named state of one model, found on the probe batch of its signal (dropout off). Layers
/// are numbered from 1 at the input, as everywhere: weight layer `k`'s outputs are hidden
/// layer `k`, and the last weight layer is the logits'.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "wire-types", derive(ts_rs::TS))]
pub enum NamedState {
    /// The gradients of weight layers 1 to `up_to` are exactly 0 in every element: those
    /// weights cannot change (all-zeros: the layer above has zero weights or outputs, so no
    /// error signal passes down; a layer of dead ReLUs blocks everything below it).
    NoGradient { up_to: usize },
    /// Every ReLU of these hidden layers (in order) outputs exactly 0 for every probe image.
    /// Only ReLU layers: no other activation maps a range of inputs to exactly 0.
    DeadRelus { layers: Vec<usize> },
}

impl NamedState {
    /// One model's states, given for each hidden layer whether its outputs on the probe batch
    /// are all exactly 0 (`outputs`) and for each weight layer whether its gradient is
    /// (`grads`), each `None` where some value is not finite. A model whose pass is not finite
    /// has no state: it diverged, which is divergence's to name.
    pub fn find(activation: Activation, outputs: &[Option<bool>], grads: &[Option<bool>]) -> Vec<NamedState> {
        let all = |zeros: &[Option<bool>]| zeros.iter().copied().collect::<Option<Vec<bool>>>();
        let (Some(outputs), Some(grads)) = (all(outputs), all(grads)) else { return Vec::new() };
        let mut states = Vec::new();
        let up_to = grads.iter().take_while(|&&zero| zero).count();
        if up_to > 0 {
            states.push(NamedState::NoGradient { up_to });
        }
        let dead: Vec<usize> = outputs.iter().enumerate().filter(|&(_, &zero)| zero).map(|(l, _)| l + 1).collect();
        if activation == Activation::Relu && !dead.is_empty() {
            states.push(NamedState::DeadRelus { layers: dead });
        }
        states
    }
}

/// The words the CLI's table prints; the page's are `www/model/named-states.js`'s, the same
/// (`tests/unit/named-state-words.json` holds the cases both are tested against).
impl fmt::Display for NamedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NamedState::NoGradient { up_to } => {
                let layers: Vec<usize> = (1..=*up_to).collect();
                write!(f, "no gradient reaches the weights of {}", layer_list(&layers))
            }
            NamedState::DeadRelus { layers } => write!(f, "every ReLU of {} is dead", layer_list(layers)),
        }
    }
}

/// "layer 3", "layers 1–4", "layers 1–2 and 5", "layers 1, 3 and 5": ascending layers with
/// each run of consecutive ones as a range.
fn layer_list(layers: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &l in layers {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == l => *last = l,
            _ => runs.push((l, l)),
        }
    }
    let mut items: Vec<String> =
        runs.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    let noun = if layers.len() == 1 { "layer" } else { "layers" };
    match items.pop() {
        Some(last) if !items.is_empty() => format!("{noun} {} and {last}", items.join(", ")),
        Some(last) => format!("{noun} {last}"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FINITE_ZERO: Option<bool> = Some(true);
    const FINITE: Option<bool> = Some(false);

    #[test]
    fn zero_gradients_count_from_the_input_and_dead_layers_only_under_relu() {
        let outputs = [FINITE_ZERO, FINITE, FINITE_ZERO];
        let grads = [FINITE_ZERO, FINITE_ZERO, FINITE, FINITE_ZERO];
        assert_eq!(
            NamedState::find(Activation::Relu, &outputs, &grads),
            [NamedState::NoGradient { up_to: 2 }, NamedState::DeadRelus { layers: vec![1, 3] }]
        );
        // tanh outputs 0 only where its input is 0, and its slope there is 1: the gradient passes.
        assert_eq!(NamedState::find(Activation::Tanh, &outputs, &grads), [NamedState::NoGradient { up_to: 2 }]);
        // A zero gradient above a non-zero one is not "no gradient reaches" anything.
        assert_eq!(NamedState::find(Activation::Relu, &[FINITE], &[FINITE, FINITE_ZERO]), []);
    }

    #[test]
    fn a_pass_that_is_not_finite_has_no_state() {
        assert_eq!(NamedState::find(Activation::Relu, &[FINITE_ZERO, None], &[FINITE_ZERO; 3]), []);
        assert_eq!(NamedState::find(Activation::Relu, &[FINITE_ZERO], &[FINITE_ZERO, None]), []);
    }

    #[test]
    fn layer_lists_read_as_ranges() {
        assert_eq!(layer_list(&[3]), "layer 3");
        assert_eq!(layer_list(&[1, 2, 3, 4]), "layers 1–4");
        assert_eq!(layer_list(&[1, 2, 5]), "layers 1–2 and 5");
        assert_eq!(layer_list(&[1, 3, 5]), "layers 1, 3 and 5");
    }
}
