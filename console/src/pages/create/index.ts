// Create page: name, portrait (with the service's face check), voice (upload or text to speech),
// duration, frame, prompt and watermark; confirm creates the task and opens its detail.
// Each step is its own section; they share the chosen media and change events through `state`.
import { h } from '../../dom';
import { onLangChange, tr, trAttr } from '../../i18n';
import { takeSpeechPrefill, type SpeechPrefill } from '../../state';
import { field } from '../../ui';
import { portraitSection } from './portrait';
import { settingsSection } from './settings';
import { createState } from './state';
import { summaryPanel } from './summary';
import { voiceSection } from './voice';
import { dialogueSection } from './dialogue';
import { step } from './widgets';

interface CreatePage {
  el: HTMLElement;
  prefill(p: SpeechPrefill): void;
}

/** The page is built once and kept, so leaving it and coming back keeps what was entered. */
let cached: CreatePage | null = null;

export function createPage(main: HTMLElement): () => void {
  cached ??= buildCreatePage(() => { cached = null; });
  main.append(cached.el);
  const p = takeSpeechPrefill();
  if (p) cached.prefill(p);
  return () => cached?.el.querySelectorAll('audio').forEach((a) => a.pause());
}

function buildCreatePage(reset: () => void): CreatePage {
  const state = createState();
  // The sections are made in page order (their controls' generated ids follow it).
  const nameInput = h('input', { class: 'input', name: 'videoName', maxlength: 100, autocomplete: 'off', required: true });
  trAttr(nameInput, 'placeholder', 'taskNamePh');
  const portrait = portraitSection(state);
  const voice = voiceSection(state);
  // One speech (upload or text), or with several faces a dialogue that replaces it.
  const singleVoice = h('div', { class: 'single-voice' }, ...voice.body());
  const dialogue = dialogueSection(state, singleVoice);
  state.on('change', dialogue.render);
  const settings = settingsSection(state);
  const summary = summaryPanel(state, {
    name: () => nameInput.value.trim(),
    voice, settings,
    created(id) {
      reset();
      location.hash = `#/tasks/${id}`;
    },
  });

  const form = h('form', { class: 'create-grid', novalidate: true },
    h('div', { class: 'create-main' },
      step(1, 'stepName', field('taskName', nameInput)),
      step(2, 'stepImage', ...portrait.body),
      step(3, 'stepAudio', singleVoice, dialogue.el),
      step(4, 'stepSettings', ...settings.body())),
    h('aside', { class: 'create-side' },
      h('div', { class: 'card sticky' },
        h('h2', { class: 'card-title' }, tr('cropPreview')),
        ...settings.preview,
        h('h2', { class: 'card-title' }, tr('summary')),
        ...summary.body)),
  );

  const el = h('section', { class: 'page page-create' },
    h('header', { class: 'page-head' }, h('h1', {}, tr('createTitle')), h('p', { class: 'lead' }, tr('createLead'))),
    form);

  const renderAll = () => {
    portrait.render();
    settings.renderPreview();
    state.emit('change');
  };
  nameInput.addEventListener('input', () => state.emit('change'));
  form.addEventListener('submit', (e) => { e.preventDefault(); void summary.submit(); });
  onLangChange(() => { renderAll(); voice.retranslate(); });

  voice.mount();
  renderAll();

  return {
    el,
    prefill(p: SpeechPrefill) {
      voice.prefill(p);
      if (!nameInput.value) nameInput.value = p.text.slice(0, 30);
      state.emit('change');
    },
  };
}
