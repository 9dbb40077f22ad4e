// @ts-check
// The dropout switch beside the initializers: off sets the `dropout` setting to 0, on gives
// back the lesson's rate. With dropout off, neurons that start identical (all-ones) get
// identical updates and stay copies of one; with it on, each step's random mask tells them
// apart. The "Why?" panel's distinct-neuron count shows which.

/** Keeps `box` (a checkbox) showing whether `dropout` (the run's rate) is on;
 * `onChange(value)` gets 0, or null for the lesson's rate, when a person flips it. */
export function bindDropoutSwitch(box, onChange) {
  box.addEventListener('change', () => onChange(box.checked ? null : 0));
  return {
    show(dropout, lessonDropout) {
      box.checked = dropout > 0;
      box.closest('label').title =
        `Dropout zeroes a random share of the hidden neurons' outputs at each training step (the lesson: ${lessonDropout}). Now: ${dropout}.`;
    },
  };
}
