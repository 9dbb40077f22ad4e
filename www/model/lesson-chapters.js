// @ts-check
// The guided lesson (`#lesson=1` …): the seed lesson's order (constant weights → uniform
// [0, 1) → centered → the 1/√n rule → normal), then what goes wrong in deeper networks, as
// the presets show it. Each chapter is the data a course author writes (chapter.js reads both
// the same way); every number in an explanation is a placeholder, filled from the run the
// student just watched. The seed lesson's chapters train its recipe (two epochs, Adam), the
// deeper ones the presets' settings (one epoch, no dropout; src/presets.rs).

/** @type {import('./chapter.js').Chapter[]} */
export const LESSON = [
  {
    title: 'Every weight the same',
    settings: 'inits=zeros,ones',
    show: ['charts', 'table'],
    question: 'Two networks start with every weight equal: all 0, and all 1. Where will they be after training?',
    choices: ['Near 10 %: no better than guessing one of ten classes', 'Near 50 %', 'Near 85 %, like any network'],
    answer: 'Near 10 %: no better than guessing one of ten classes',
    train: 'end',
    explain:
      'All zeros ended at {accuracy zeros} and all ones at {accuracy ones}: guessing. When every weight is equal, every neuron of a layer computes the same output and gets the same update, so a layer of 256 neurons acts like one. All zeros is stuck in its own way: every output is 0, so the lab finds {states zeros}, and its loss stays at {loss zeros}, ln 10 = 2.30, the loss of knowing nothing. All ones sums hundreds of positive inputs at every layer: its last 100 losses averaged {loss ones}.',
  },
  {
    title: 'Random, but all positive: uniform [0, 1)',
    settings: 'inits=ones,uniform',
    show: ['charts', 'table'],
    question: 'Now the weights are random, drawn from [0, 1): no two neurons are alike any more. How does that compare with all ones?',
    choices: ['It trains like a normal network, near 85 %', 'Better than all ones, but far from 85 %', 'No better than all ones'],
    answer: 'Better than all ones, but far from 85 %',
    train: 'end',
    explain:
      'Uniform [0, 1) reached {accuracy uniform}, all ones {accuracy ones}. Random weights break the symmetry, so it learns. But every weight is positive with a mean of 0.5: each neuron of layer 1 adds up 784 pixels × 0.5, the outputs are huge, and its first 100 losses averaged {first-loss uniform}. Much of the training goes into undoing that start.',
  },
  {
    title: 'Centred on zero: uniform [−0.5, 0.5)',
    settings: 'inits=uniform,centered',
    show: ['charts', 'table'],
    question: 'The same width of range, moved to [−0.5, 0.5). What changes?',
    choices: ['Nothing: the weights are spread just as widely', 'It trains much better', 'It diverges'],
    answer: 'It trains much better',
    train: 'end',
    explain:
      'Centred weights reached {accuracy centered} against {accuracy uniform} for [0, 1), {gap centered uniform} better. With a mean of 0, positive and negative terms cancel, so a sum of 784 terms grows like √784 = 28 times one term, not 784 times: the first 100 losses averaged {first-loss centered} instead of {first-loss uniform}. But ±0.5 is still large for 784 inputs.',
  },
  {
    title: 'The 1/√n rule',
    settings: 'inits=centered,general-rule',
    show: ['charts', 'table'],
    question:
      'Scale the range to the layer: [−y, y) with y = 1/√n, n the layer’s number of inputs (for layer 1, n = 784 and y ≈ 0.036). Which network ends higher?',
    choices: ['Centred [−0.5, 0.5)', 'The 1/√n rule', 'They tie'],
    answer: 'The 1/√n rule',
    train: 'end',
    explain:
      'The 1/√n rule reached {accuracy general-rule}, centred {accuracy centered}: {gap general-rule centered}. With y = 1/√n a sum of n terms has about the same spread whatever n is, so every layer starts with outputs of a sensible size: the first 100 losses averaged {first-loss general-rule}, against {first-loss centered} for centred weights.',
  },
  {
    title: 'A normal distribution',
    settings: 'inits=general-rule,normal',
    show: ['charts', 'table'],
    question: 'Draw the weights from a normal distribution with standard deviation 1/√n instead of the uniform [−1/√n, 1/√n). Which wins?',
    choices: ['The uniform rule', 'The normal distribution', 'About a tie: within a point or two'],
    answer: 'About a tie: within a point or two',
    train: 'end',
    explain:
      'Normal reached {accuracy normal}, the uniform rule {accuracy general-rule}: a gap of {gap normal general-rule}. What matters is the scale, about 1/√n, not the shape of the distribution. With two hidden layers and Adam every sensible scale ends about here: the next chapters go deeper, where the scale decides whether a network trains at all.',
  },
  {
    title: 'Thirty layers: the signal before training',
    settings: 'inits=xavier-normal,he-normal&hidden=256x30&optimizer=sgd&lr=0.01&dropout=0&epochs=1',
    show: ['signal'],
    question:
      'Thirty ReLU layers of 256. Xavier’s rule draws weights with variance 1/256 here, He’s with 2/256. Before any training, how spread out are layer 30’s outputs under Xavier, compared with He?',
    choices: ['About the same', 'About a tenth', 'Less than a thousandth'],
    answer: 'Less than a thousandth',
    train: 0,
    explain:
      'Layer 30’s output std is {std xavier-normal last} under Xavier and {std he-normal last} under He. ReLU silences about half of each layer’s inputs, so each layer keeps half the variance Xavier’s 1/n gives it: thirty halvings. He’s 2/n gives the half back at every layer. The gradient pays too: layer 1’s gradient RMS is {grad xavier-normal 1} under Xavier, {grad he-normal 1} under He.',
  },
  {
    title: 'Thirty layers, trained',
    settings: 'inits=xavier-normal,he-normal&hidden=256x30&optimizer=sgd&lr=0.01&dropout=0&epochs=1',
    show: ['charts', 'table', 'signal'],
    question: 'Trained with plain SGD for one epoch, does Xavier’s network learn?',
    choices: ['Yes, like He’s', 'It barely leaves 2.30 and ends far behind He’s', 'It diverges'],
    answer: 'It barely leaves 2.30 and ends far behind He’s',
    train: 'end',
    explain:
      'Xavier’s network ended at {accuracy xavier-normal} (its last 100 losses {loss xavier-normal}, against ln 10 = 2.30 for knowing nothing), He’s at {accuracy he-normal}. A gradient thousands of times too small moves Xavier’s first layers by almost nothing: the signal that never reached layer 30 at step 0 still does not.',
  },
  {
    title: 'The same thirty layers with Adam',
    settings: 'inits=xavier-normal,he-normal&hidden=256x30&dropout=0&epochs=1',
    show: ['charts', 'table'],
    question: 'The same thirty layers and the same start, trained with Adam instead of plain SGD. Does Xavier’s network learn now?',
    choices: ['No: it still stays near 2.30', 'Yes: about as well as He’s'],
    answer: 'Yes: about as well as He’s',
    train: 'end',
    explain:
      'Xavier’s network reached {accuracy xavier-normal}, He’s {accuracy he-normal}. Adam divides each weight’s update by that weight’s own recent gradient size, so a gradient thousands of times too small still moves the weights at the learning rate: the optimizer hides the bad scale. That is why the two-layer lesson with Adam shows only the pathological starts failing.',
  },
  {
    title: 'The activation decides the rule',
    settings: 'inits=xavier-normal@tanh,he-normal@tanh,xavier-normal@relu,he-normal@relu&hidden=256x20&optimizer=sgd&lr=0.01&dropout=0&epochs=1',
    show: ['signal'],
    question: 'Twenty layers of 256, with tanh or with ReLU, started by Xavier’s rule or He’s. Which of the four loses its signal before layer 20?',
    choices: ['Xavier under tanh', 'He under tanh', 'Xavier under ReLU', 'He under ReLU'],
    answer: 'Xavier under ReLU',
    train: 0,
    explain:
      'Layer 20’s output std: under tanh, {std xavier-normal@tanh last} with Xavier and {std he-normal@tanh last} with He; under ReLU, {std xavier-normal@relu last} with Xavier and {std he-normal@relu last} with He. tanh has slope 1 around 0 and passes both signals on; ReLU silences about half of each layer, which He’s factor 2 makes up for and Xavier’s does not. The right rule follows the activation.',
  },
  {
    title: 'A step too large',
    settings: 'inits=general-rule,general-rule@sgd+lr=100&epochs=1',
    show: ['charts', 'table'],
    question: 'The same good start, but one network takes plain SGD steps with a learning rate of 100. What happens to it?',
    choices: ['It learns faster', 'Its numbers grow until they overflow', 'It stays at 2.30'],
    answer: 'Its numbers grow until they overflow',
    train: 'end',
    explain:
      'The network with learning rate 100 {diverged general-rule@sgd+lr=100}; its curve ends there with a ✕. A good initialization cannot save a step that overshoots: each update makes the weights larger, and the next gradient larger still. The same start with Adam at 0.001 reached {accuracy general-rule}.',
  },
];
