// esim search: finds a person by any spelling of the name, in the browser, from
// the static sharded index that the build writes under search/ (see
// src/search/index.rs for the files). Only the files a query needs are fetched,
// and none before a key is pressed.
import { createSearch } from './engine.js';

const data = JSON.parse(document.getElementById('search-data').textContent);
const form = document.getElementById('search-form');
const input = document.getElementById('q');
const status = document.getElementById('search-status');
const results = document.getElementById('results');
const textResults = document.getElementById('text-results');
const S = data.strings;

// The texts' files at a lower priority than the people's, which come first.
const search = createSearch(data, (path) => fetch(data.index + path, { priority: path.startsWith('t/') ? 'low' : 'high' })
  .then((r) => (r.ok ? r.json() : null)).catch(() => null));

function filters() {
  const f = new FormData(form);
  return {
    region: f.get('region') || '',
    fate: f.get('fate') || '',
    from: Number(f.get('from')) || 0,
    to: Number(f.get('to')) || 0,
  };
}

function plural(n) {
  const forms = S.results;
  const cat = new Intl.PluralRules(data.lang).select(n);
  return (forms[cat] || forms.other || forms.many || '').replace('{n}', n.toLocaleString(data.lang));
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// The name as this language shows it; the other spelling only when it is
// the one the query matched.
function showPeople(found) {
  results.replaceChildren();
  const shown = data.lang === 'kk' ? 0 : data.lang === 'en' ? 2 : 1;
  for (const { row, forms } of found) {
    const [id, kk, archive, latin, born, regions, fate, arrest, sentenced] = row;
    const names = [kk || archive, archive, latin];
    const name = names[shown];
    const via = forms.indexOf(Math.max(...forms));
    const other = forms[via] > forms[shown] && names[via] !== name ? names[via] : '';
    const facts = [
      born ? `${S.born} ${born}` : '',
      arrest ? `${S.arrested} ${arrest}` : '',
      // The sentence year, under its own name, when no arrest date is known.
      !arrest && sentenced ? `${S.sentenced} ${sentenced}` : '',
      regions.map((r) => data.regions[r]).join(', '),
      fate >= 0 ? data.fates[fate] : '',
    ].filter(Boolean).join(' · ');
    results.append(el('li', {}, el('a', { href: `${data.people}${id}/` }, name),
      other ? el('span', { class: 'other-forms' }, ' ', other) : null,
      el('br'), el('span', { class: 'facts-line' }, facts)));
  }
}

function showTexts(found) {
  textResults.replaceChildren();
  document.getElementById('text-results-section').hidden = !found.length;
  for (const [title, url, kind] of found) {
    textResults.append(el('li', {}, el('a', { href: url }, title), ' ', el('span', { class: 'kind' }, S[kind] || kind)));
  }
}

let generation = 0;
async function run() {
  const query = input.value.trim();
  const f = filters();
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
  history.replaceState(null, '', params.toString() ? `?${params}` : location.pathname);
  const mine = ++generation;
  if (!query) {
    status.textContent = S.prompt;
    results.replaceChildren();
    showTexts([]);
    return;
  }
  status.textContent = S.searching;
  // The people first, shown as soon as found; the texts after them.
  const people = search.searchPeople(query, f);
  const texts = search.searchTexts(query, people.catch(() => null));
  const found = await people;
  if (mine !== generation) return; // a newer query is running
  showPeople(found);
  document.body.dataset.searched = query;
  if (found.length) {
    status.textContent = plural(found.length);
  } else {
    status.replaceChildren(S.none, ' ', el('a', { href: data.regionsUrl }, S.browse));
  }
  const textsFound = await texts;
  if (mine !== generation) return;
  showTexts(textsFound);
  document.body.dataset.texts = query;
}

// Every keystroke searches at once (a newer query discards an older one's
// results): a human types slower than a query's first read.
input.addEventListener('input', run);
form.addEventListener('change', run);
form.addEventListener('submit', (e) => { e.preventDefault(); run(); });

const params = new URLSearchParams(location.search);
for (const name of ['q', 'region', 'fate', 'from', 'to']) {
  const field = form.elements[name];
  if (field && params.has(name)) field.value = params.get(name);
}
document.getElementById('search-js-note').hidden = true;
form.hidden = false;
run();
