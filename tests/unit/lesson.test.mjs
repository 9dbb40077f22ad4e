// The guided lesson's data and link (www/model/chapter.js, chapter-text.js, lesson.js): the
// built-in chapters pass the author's reader, each wrong field is named, placeholders are
// filled from the run's numbers, and a lesson link keeps its own settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHAPTER_FIELDS, chapterSettings, readChapters, readChapterText } from '../../www/model/chapter.js';
import { fillTemplate, PLACEHOLDERS, placeholderProblems } from '../../www/model/chapter-text.js';
import { lessonPause, lessonPhase, readLink, settingsForChapter, writeLink } from '../../www/model/lesson.js';
import { LESSON } from '../../www/model/lesson-chapters.js';
import { initialState, reduce } from '../../www/model/reducer.js';

const good = {
  title: 'Zeros against the rule',
  settings: 'inits=zeros,general-rule&epochs=1',
  question: 'Which ends higher?',
  choices: ['All zeros', 'The 1/√n rule'],
  answer: 'The 1/√n rule',
  explain: 'The rule reached {accuracy general-rule}, zeros {accuracy zeros}.',
};

test('every chapter of the guided lesson reads as an author’s chapter would, and quotes a number', () => {
  const { chapters, errors } = readChapters(LESSON);
  assert.deepEqual(errors, []);
  assert.equal(chapters.length, LESSON.length);
  for (const c of chapters) assert.match(c.explain, /\{[a-z-]+ [^}]+\}/, `${c.title} quotes the run`);
  // The seed lesson's order comes first.
  const firsts = chapters.slice(0, 5).map((c) => new URLSearchParams(c.settings).get('inits').split(',').at(-1));
  assert.deepEqual(firsts, ['ones', 'uniform', 'centered', 'general-rule', 'normal']);
});

test('a wrong field is named, with what was expected', () => {
  const cases = [
    [{ ...good, questoin: 'x' }, /unknown field "questoin" \(a chapter's fields: title, settings/],
    [{ ...good, question: undefined }, /field "question": missing/],
    [{ ...good, choices: ['only one'] }, /field "choices": has 1; a question has 2 to 6 choices/],
    [{ ...good, choices: 'a, b' }, /field "choices": must be a list of texts/],
    [{ ...good, answer: 'The rule' }, /field "answer": "The rule" is not one of the choices/],
    [{ ...good, settings: 'inits=zeros&epochs=0' }, /field "settings": epochs=0: must be from 1 to 100/],
    [{ ...good, settings: 'inits=zeros&colour=red' }, /field "settings": unknown setting colour/],
    [{ ...good, settings: 'hide=charts' }, /field "settings": hide= cannot be set here/],
    [{ ...good, show: ['charts', 'graphs'] }, /field "show": must be a list of views from/],
    [{ ...good, train: -5 }, /field "train": -5: write "end"/],
    [{ ...good, title: 7 }, /field "title": must be text in quotes, not 7/],
    [
      { ...good, explain: 'It got {accuracy he-normal}.' },
      /field "explain": \{accuracy he-normal\}: he-normal is not an initializer of the chapter's run \(zeros, general-rule\)/,
    ],
    [{ ...good, explain: '{acuracy zeros}' }, /field "explain": \{acuracy zeros\} is not a placeholder \(known: accuracy/],
    [{ ...good, explain: '{std zeros}' }, /field "explain": \{std zeros\} has 1 argument; write \{std id layer\}/],
    [{ ...good, explain: '{std zeros first}' }, /first is not a layer/],
  ];
  for (const [chapter, message] of cases) {
    const { chapters, errors } = readChapters(chapter);
    assert.equal(chapters.length, 0);
    assert.ok(
      errors.some((e) => message.test(e)),
      `${JSON.stringify(chapter)}: ${errors.join(' | ')}`,
    );
  }
  assert.match(readChapters([good, { ...good, choices: [] }]).errors[0], /^chapter 2, field "choices"/);
  assert.match(readChapterText('{"title": "x",}').errors[0], /^the chapter is not JSON: /);
  assert.match(readChapters(['a']).errors[0], /a chapter is an object with the fields/);
  assert.deepEqual(readChapters(good).errors, []);
  assert.deepEqual(CHAPTER_FIELDS, ['title', 'settings', 'show', 'question', 'choices', 'answer', 'train', 'explain']);
});

test('a chapter without initializers trains the lesson six, and may quote them', () => {
  assert.deepEqual(placeholderProblems('{accuracy ones} {gap normal zeros} {best} {steps}', ['zeros', 'ones', 'normal']), []);
  assert.deepEqual(readChapters({ ...good, settings: 'epochs=1', explain: '{accuracy centered}' }).errors, []);
});

test('placeholders are filled with the run’s numbers, and a dash where it has none yet', () => {
  const models = new Map([
    [
      'zeros',
      {
        label: 'All zeros',
        accuracy: 0.0962,
        loss: 2.3041,
        firstLoss: 2.3031,
        divergence: null,
        std: [0, 0],
        grad: [0, 0, 0.01],
        states: [{ kind: 'no_gradient', up_to: 2 }],
      },
    ],
    [
      'ones',
      {
        label: 'All ones',
        accuracy: Number.NaN,
        loss: Number.NaN,
        firstLoss: 4765,
        divergence: { step: 37, layer: 2, max_abs: 7.6e26, cause: 'overflow' },
        std: [1.5, 3.2e5],
        grad: [1, 2, 3],
        states: [],
      },
    ],
    ['normal', { label: 'Normal', accuracy: undefined, loss: undefined, firstLoss: undefined, divergence: null, std: [], grad: [], states: [] }],
  ]);
  const text = fillTemplate(
    '{label zeros}: {accuracy zeros}, loss {loss zeros}; ones {accuracy ones}, {first-loss ones}, {diverged ones}; zeros {diverged zeros}; std {std ones last} {std ones 1} {grad zeros last}; {gap zeros ones}; {best}; {steps}; normal {accuracy normal} {std normal last}; {states zeros}; {states ones}',
    { steps: 480, models },
  );
  assert.equal(
    text,
    "All zeros: 9.6 %, loss 2.304; ones diverged, 4765, diverged at step 37: layer 2's outputs exceeded 3.4e38 (largest finite 7.6e26); zeros did not diverge; std 3.2e5 1.50 0.01; —; All zeros; 480; normal — —; no gradient reaches the weights of layers 1–2; none",
  );
  for (const [name, spec] of Object.entries(PLACEHOLDERS)) assert.ok(spec.help.length > 10, `${name} says what it is`);
});

test('a lesson link opens its chapter with its settings; its own settings apply on top, and it is written back the same', () => {
  const { state, problems, lesson } = readLink('#lesson=2&seed=7&projector=1');
  assert.deepEqual(problems, []);
  assert.equal(lesson.index, 1);
  assert.deepEqual(state.inits, ['ones', 'uniform']);
  assert.equal(state.seed, 7);
  assert.equal(state.projector, true);
  assert.ok(state.hide.includes('params') && !state.hide.includes('charts') && !state.hide.includes('header'));
  assert.equal(writeLink(state, lesson), 'lesson=2&seed=7&projector=true');
  assert.deepEqual(readLink('#lesson=99').problems, [`ignored lesson=99: this lesson has chapters 1 to ${LESSON.length}`]);
  assert.equal(readLink('#inits=zeros').lesson, null);

  const text = JSON.stringify(good);
  const author = readLink(`#chapter=${encodeURIComponent(text)}`);
  assert.equal(author.lesson.source, 'chapter');
  assert.deepEqual(author.state.inits, ['zeros', 'general-rule']);
  assert.equal(writeLink(author.state, author.lesson), `chapter=${encodeURIComponent(text)}`);
  const broken = readLink(`#chapter=${encodeURIComponent(JSON.stringify({ ...good, choices: ['x'] }))}`);
  assert.match(broken.lesson.errors[0], /field "choices"/);
  assert.deepEqual(broken.state.hide, [], 'the full lab under the errors');
});

test('the next chapter carries what the student changed (the seed) and nothing of the chapter before', () => {
  const { state, lesson } = readLink('#lesson=1&seed=3');
  const next = settingsForChapter(state, lesson, 1);
  assert.equal(next.seed, 3);
  assert.deepEqual(next.inits, ['ones', 'uniform']);
  assert.deepEqual(next, { ...chapterSettings(LESSON[1]), seed: 3 });
  // What the student changed that the next chapter names itself (its initializers) is its own.
  const changed = settingsForChapter({ ...state, inits: ['zeros', 'he-normal'] }, lesson, 1);
  assert.deepEqual(changed.inits, ['ones', 'uniform']);
});

test('the store: choose, reveal (which trains), the explanation once the run is done; a step chapter pauses at its step', () => {
  let s = initialState('#lesson=1');
  assert.equal(lessonPhase(s), 'ask');
  s = reduce(s, { intent: 'lesson-reveal' });
  s = reduce(s, { intent: 'lesson-choose', choice: LESSON[0].choices[0] });
  assert.equal(s.lesson.prediction, LESSON[0].choices[0]);
  s = reduce(s, { intent: 'lesson-reveal' });
  assert.equal(s.lesson.revealed, true);
  assert.deepEqual(
    s.outbox.map((c) => c.type),
    ['train'],
  );
  assert.equal(lessonPhase(s), 'watch');
  s = { ...s, run: { ...s.run, finished: true }, results: { step: 480, rows: [], finished: true } };
  assert.equal(lessonPhase(s), 'explain');
  const moved = reduce(s, { intent: 'lesson-go', index: 1 });
  assert.equal(moved.lesson.index, 1);
  assert.equal(moved.lesson.revealed, false);
  assert.deepEqual(moved.settings.inits, ['ones', 'uniform']);
  const left = reduce(moved, { intent: 'lesson-leave' });
  assert.equal(left.lesson, null);
  assert.deepEqual(left.settings.hide, []);
  assert.equal(writeLink(left.settings, left.lesson), 'inits=ones,uniform');

  // Back to a chapter whose run has trained (the same settings as the one before): reset first,
  // and no answer from the old run meanwhile.
  const signalChapter = readLink('#lesson=6');
  let u = { ...initialState('#lesson=6'), lesson: { ...signalChapter.lesson, prediction: LESSON[5].choices[0] } };
  u = {
    ...u,
    run: { ...u.run, ready: true, step: 480, finished: true },
    signal: { step: 480, models: [] },
    results: { step: 480, rows: [], finished: true },
  };
  assert.equal(lessonPhase({ ...u, lesson: { ...u.lesson, revealed: true } }), 'watch', 'a signal after training is not the step-0 answer');
  u = reduce(u, { intent: 'lesson-reveal' });
  assert.deepEqual(
    u.outbox.map((c) => c.type),
    ['reset'],
  );
  assert.equal(u.signal, null);
  assert.equal(lessonPhase(u), 'watch');
  assert.equal(lessonPhase({ ...u, signal: { step: 0, models: [] } }), 'explain');
  let v = initialState('#lesson=2');
  v = {
    ...v,
    lesson: { ...v.lesson, prediction: LESSON[1].choices[0] },
    run: { ...v.run, step: 960, finished: true },
    results: { step: 960, rows: [], finished: true },
  };
  v = reduce(v, { intent: 'lesson-reveal' });
  assert.deepEqual(
    v.outbox.map((c) => c.type),
    ['reset', 'train'],
  );
  assert.equal(lessonPhase(v), 'watch', 'the finished run before is not the answer');

  // A setting added to the link by hand mid-chapter: a new run, so the reveal starts over.
  let w = initialState('#lesson=1');
  w = { ...w, catalog: { lesson_config: { epochs: 2 }, lesson_inits: [], initializers: [{ id: 'zeros' }, { id: 'ones' }] } };
  w = { ...w, lesson: { ...w.lesson, prediction: LESSON[0].choices[0], revealed: true } };
  const edited = reduce(w, { intent: 'hash', hash: '#lesson=1&seed=7' });
  assert.equal(edited.lesson.revealed, false);
  assert.equal(edited.lesson.prediction, LESSON[0].choices[0], 'the prediction stays');
  assert.equal(reduce(w, { intent: 'hash', hash: '#lesson=1&projector=1' }).lesson.revealed, true, 'the same run: still revealed');

  // A chapter asking for more steps than its run has explains at the run's end.
  const long = initialState(`#chapter=${encodeURIComponent(JSON.stringify({ ...good, train: 100000 }))}`);
  const ended = { ...long, lesson: { ...long.lesson, revealed: true }, run: { ...long.run, step: 480, finished: true, running: false } };
  assert.equal(lessonPhase(ended), 'explain');

  const stepChapter = { ...good, train: 50 };
  let t = initialState(`#chapter=${encodeURIComponent(JSON.stringify(stepChapter))}`);
  t = { ...t, lesson: { ...t.lesson, revealed: true } };
  const before = { ...t, run: { ...t.run, running: true, step: 40 } };
  const after = { ...t, run: { ...t.run, running: true, step: 60 } };
  assert.equal(lessonPause(before, after), true);
  assert.equal(lessonPause(after, { ...after, run: { ...after.run, step: 80 } }), false);
});

test('docs/lessons.md: its two examples read without an error, and its link opens the first', async () => {
  const { readFile } = await import('node:fs/promises');
  const doc = await readFile(new URL('../../docs/lessons.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2);
  const [one, course] = blocks.map((b) => readChapterText(b));
  assert.deepEqual([one.errors, course.errors], [[], []]);
  assert.deepEqual([one.chapters.length, course.chapters.length], [1, 2]);
  assert.equal(course.chapters[0].train, 0);
  const link = doc.match(/https:\/\/USER\.github\.io\/weight-init-lab\/index\.html(#chapter=%7B\S+)/)[1];
  const opened = readLink(link);
  assert.deepEqual(opened.problems, []);
  assert.deepEqual(opened.lesson.chapters, one.chapters);
  // The doc's example with a wrong field: named.
  const wrong = JSON.parse(blocks[0]);
  wrong.chioces = wrong.choices;
  delete wrong.choices;
  assert.deepEqual(readChapters(wrong).errors, [
    'unknown field "chioces" (a chapter\'s fields: title, settings, show, question, choices, answer, train, explain)',
    'field "choices": missing',
    'field "answer": "He" is not one of the choices: write the right choice\'s text exactly, or leave "answer" out',
  ]);
});
