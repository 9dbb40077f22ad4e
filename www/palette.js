// One stable colour per initializer, shared by the toggles, the charts and the table, so a
// curve keeps its colour whichever initializers are switched on.
const BY_ID = {
  zeros: '#6b7280',
  ones: '#d62728',
  uniform: '#ff7f0e',
  centered: '#b8860b',
  'general-rule': '#1f77b4',
  normal: '#2ca02c',
  'pytorch-default': '#9467bd',
  'xavier-uniform': '#17becf',
  'xavier-normal': '#e377c2',
  'he-uniform': '#8c564b',
  'he-normal': '#111111',
  'lecun-normal': '#637939',
  orthogonal: '#7b4173',
};
// For parameterized ids (constant:C, uniform:A:B, normal:STD).
const EXTRA = ['#0f766e', '#be185d', '#4d7c0f', '#9a3412', '#1e40af'];

export function colorOf(id) {
  if (BY_ID[id]) return BY_ID[id];
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return EXTRA[hash % EXTRA.length];
}
