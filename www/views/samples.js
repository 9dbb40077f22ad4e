// @ts-check
// The strip of sample images with their class names, drawn from the bytes the worker sends.

/** Draws `samples` ({rows, cols, images[], labels[]}) into `container`; `classNames` may be
 * null (a person's own data set), and then the label number is shown. */
export function renderSamples(container, samples, classNames) {
  const figures = samples.images.map((pixels, i) => {
    const canvas = document.createElement('canvas');
    canvas.width = samples.cols;
    canvas.height = samples.rows;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(samples.cols, samples.rows);
    for (let p = 0; p < pixels.length; p++) {
      image.data.set([pixels[p], pixels[p], pixels[p], 255], p * 4);
    }
    ctx.putImageData(image, 0, 0);
    const label = samples.labels[i];
    const name = classNames?.[label] ?? `label ${label}`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', name);
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = name;
    figure.append(canvas, caption);
    return figure;
  });
  container.replaceChildren(...figures);
}
