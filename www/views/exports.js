// @ts-check
// Taking a run away: files to download (the engine writes the CSV and JSON, the same as the
// CLI's --csv and --json), each chart as a PNG with its title and legend, and the run's link.

/** Offers `content` to the person as the file `name`. */
export function download(name, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const PAD = 16;
const FONT = '16px system-ui, sans-serif';

/**
 * The chart drawn in `container` (its canvas) on white, under `title` (`heading · run name`,
 * set on two lines), over a legend of
 * `models` (`[{label, color, dash}]`): a picture for slides and handouts. Resolves to a PNG Blob,
 * or null when the chart has not been drawn.
 */
export function chartPng(container, title, models) {
  const plot = container.querySelector('canvas');
  if (!plot) return Promise.resolve(null);
  const columns = Math.max(1, Math.floor(plot.width / 260));
  const legendRows = Math.ceil(models.length / columns);
  const canvas = document.createElement('canvas');
  canvas.width = plot.width + 2 * PAD;
  canvas.height = plot.height + 3 * PAD + 48 + legendRows * 24;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111827';
  ctx.font = `bold ${FONT}`;
  ctx.textBaseline = 'top';
  // The title, then the run's name on a line of its own (it would not fit beside it).
  const [heading, ...rest] = title.split(' · ');
  ctx.fillText(heading, PAD, PAD, canvas.width - 2 * PAD);
  ctx.font = FONT;
  ctx.fillText(rest.join(' · '), PAD, PAD + 22, canvas.width - 2 * PAD);
  ctx.drawImage(plot, PAD, 2 * PAD + 32);
  ctx.font = FONT;
  models.forEach((m, i) => {
    const x = PAD + (i % columns) * 260;
    const y = plot.height + 3 * PAD + 32 + Math.floor(i / columns) * 24;
    // A short stretch of the curve itself, dash and all: some curves share a colour.
    ctx.strokeStyle = m.color;
    ctx.lineWidth = 4;
    ctx.setLineDash(m.dash ?? []);
    ctx.beginPath();
    ctx.moveTo(x, y + 9);
    ctx.lineTo(x + 30, y + 9);
    ctx.stroke();
    ctx.fillStyle = '#111827';
    ctx.fillText(m.label, x + 38, y);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** Puts `text` on the clipboard; resolves to whether it worked (a page without the
 * permission, or an insecure context, has no clipboard). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
