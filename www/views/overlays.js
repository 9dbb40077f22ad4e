// @ts-check
// What the two live charts draw over their curves (uPlot `draw` hooks, in canvas pixels):
// on the loss chart, the dashed line of a network that knows nothing (loss = ln classes, 2.30
// for ten classes: a uniform guess); on the accuracy chart, a large dot at each full
// validation pass and, faint and thin, each model's running training accuracy; on both, a ✕
// where a diverged model's curve ends. A model whose curve is switched off in the legend loses
// its overlays too.

const ratio = () => globalThis.devicePixelRatio || 1;

/** Runs `paint(ctx)` clipped to the plotting area, with the context restored after. */
function clipped(u, paint) {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  paint(ctx, bbox);
  ctx.restore();
}

/**
 * A dashed horizontal guide at `value` on the y axis, with `label` at its right end (above the
 * line where there is room, else below, on a white halo; `short` instead where `label` would
 * not fit the plot's width); `big` for projector type. Drawn on the loss chart (ln classes)
 * and the layer-health charts (an update ratio of 10⁻³).
 */
export function drawGuideLine(u, value, label, big, short = label) {
  if (!Number.isFinite(value)) return;
  const y = u.valToPos(value, 'y', true);
  if (!(y >= u.bbox.top && y <= u.bbox.top + u.bbox.height)) return;
  clipped(u, (ctx, bbox) => {
    const px = ratio();
    ctx.strokeStyle = '#374151';
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash([6 * px, 5 * px]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.font = `${Math.round((big ? 17 : 13) * px)}px system-ui, sans-serif`;
    ctx.fillStyle = '#111827';
    ctx.textAlign = 'right';
    const above = y - bbox.top > 24 * px;
    ctx.textBaseline = above ? 'bottom' : 'top';
    ctx.lineWidth = 4 * px;
    ctx.strokeStyle = 'rgba(255,255,255,0.85)';
    ctx.setLineDash([]);
    const at = [bbox.left + bbox.width - 6 * px, above ? y - 4 * px : y + 4 * px];
    const text = ctx.measureText(label).width <= bbox.width - 12 * px ? label : short;
    ctx.strokeText(text, ...at);
    ctx.fillText(text, ...at);
  });
}

/** The loss chart: a dashed line at ln(classes), labelled, in linear and log scale alike. */
export function drawKnowsNothing(u, { lnClasses, classes }, style) {
  if (!Number.isFinite(lnClasses)) return; // before the catalog arrives
  const short = `${lnClasses.toFixed(2)} = ln ${classes}`;
  drawGuideLine(u, lnClasses, `${short}: a network that knows nothing`, style.lineWidth > 2, short);
}

/** The accuracy chart: running training accuracy (faint, thin) and the full passes' large dots. */
export function drawAccuracyOverlays(u, models, { full, train, showTrain }, style) {
  clipped(u, (ctx) => {
    const px = ratio();
    models.forEach((model, m) => {
      if (!u.series[m + 1]?.show) return;
      if (showTrain && train?.series[m]) {
        ctx.strokeStyle = model.color;
        ctx.globalAlpha = 0.4;
        ctx.lineWidth = Math.max(1, style.lineWidth / 2) * px;
        ctx.setLineDash((model.dash ?? []).map((d) => d * px));
        ctx.beginPath();
        let pen = false; // a null (a diverged batch) breaks the line
        for (const [i, step] of train.steps.entries()) {
          const v = train.series[m][i];
          if (v == null) {
            pen = false;
            continue;
          }
          const [x, y] = [u.valToPos(step, 'x', true), u.valToPos(v, 'y', true)];
          if (pen) ctx.lineTo(x, y);
          else ctx.moveTo(x, y);
          pen = true;
        }
        ctx.stroke();
        ctx.globalAlpha = 1;
        ctx.setLineDash([]);
      }
      const [steps, values] = [u.data[0], u.data[m + 1]];
      ctx.fillStyle = model.color;
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5 * px;
      steps.forEach((step, i) => {
        if (!full[i] || values[i] == null) return;
        ctx.beginPath();
        ctx.arc(u.valToPos(step, 'x', true), u.valToPos(values[i], 'y', true), (style.lineWidth > 2 ? 8 : 6) * px, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      });
    });
  });
}

/**
 * A ✕ in each diverged model's colour where its curve ends (`ends[model]`: {step, value}, or
 * null while it trains; a null value puts it at the plot's top: no finite point came before).
 */
export function drawDivergenceMarks(u, models, ends, style) {
  clipped(u, (ctx, bbox) => {
    const px = ratio();
    const r = (style.lineWidth > 2 ? 9 : 7) * px;
    models.forEach((model, m) => {
      const end = ends?.[m];
      if (!end || !u.series[m + 1]?.show) return;
      const x = u.valToPos(end.step, 'x', true);
      // Kept whole inside the plot: a curve that blew up ends at its top edge.
      const [top, bottom] = [bbox.top + r + 2 * px, bbox.top + bbox.height - r - 2 * px];
      const y = end.value == null ? top : Math.min(bottom, Math.max(top, u.valToPos(end.value, 'y', true)));
      ctx.beginPath();
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x + r, y - r);
      ctx.lineTo(x - r, y + r);
      ctx.lineCap = 'round';
      ctx.strokeStyle = '#fff'; // a halo, so the ✕ reads over any curve
      ctx.lineWidth = 5 * px;
      ctx.stroke();
      ctx.strokeStyle = model.color;
      ctx.lineWidth = 2.5 * px;
      ctx.stroke();
    });
  });
}
