// The console shell: header with navigation, language switch and API key, and a hash router.
import './styles.css';
import { apiKey, setAuthListener } from './api';
import { h, icon, setChildren } from './dom';
import { getLang, initI18n, onLangChange, refreshI18n, retext, setLang, tr, trAttr, type MsgKey } from './i18n';
import { openDialog, toast } from './ui';
import { createPage } from './pages/create';
import { tasksPage } from './pages/tasks';
import { detailPage } from './pages/detail';
import { voicePage } from './pages/voice';

/** A page draws itself into `main` and returns what to do when the user leaves it. */
export type Page = (main: HTMLElement, params: Record<string, string>) => (() => void) | void;

const ROUTES: { pattern: RegExp; page: Page; nav: string }[] = [
  { pattern: /^\/create$/, page: createPage, nav: 'create' },
  { pattern: /^\/tasks$/, page: tasksPage, nav: 'tasks' },
  { pattern: /^\/tasks\/(?<id>\d+)$/, page: detailPage, nav: 'tasks' },
  { pattern: /^\/voice$/, page: voicePage, nav: 'voice' },
];

const app = document.getElementById('app')!;
const main = h('main', { id: 'main', tabindex: '-1' });
const navLinks = new Map<string, HTMLAnchorElement>();

function navLink(route: string, key: MsgKey, iconName: string): HTMLAnchorElement {
  const a = h('a', { href: `#/${route}`, class: 'nav-link' }, icon(iconName, 18), tr(key));
  navLinks.set(route, a);
  return a;
}

const keyLabel = tr(apiKey.get() ? 'apiKeySet' : 'apiKey');
const keyBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm key-btn', onclick: () => void askForKey() }, icon('key', 16), keyLabel);
const langBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm lang-btn', onclick: () => setLang(getLang() === 'zh' ? 'en' : 'zh') }, icon('globe', 16), tr('langSwitch'));
trAttr(langBtn, 'aria-label', 'langSwitchLabel');
langBtn.setAttribute('lang', getLang() === 'zh' ? 'en' : 'zh');
onLangChange(() => langBtn.setAttribute('lang', getLang() === 'zh' ? 'en' : 'zh'));

const nav = h('nav', { class: 'nav' }, navLink('create', 'navCreate', 'plus'), navLink('tasks', 'navTasks', 'list'), navLink('voice', 'navVoice', 'mic'));
trAttr(nav, 'aria-label', 'brand');

app.append(
  h('header', { class: 'topbar' },
    h('div', { class: 'topbar-inner' },
      h('a', { class: 'brand', href: '#/create' },
        h('img', { src: '/favicon.svg', alt: '', width: 32, height: 32 }),
        h('span', { class: 'brand-text' }, h('strong', {}, tr('brand')), h('small', {}, tr('brandSub')))),
      nav,
      h('div', { class: 'topbar-tools' }, langBtn, keyBtn))),
  main,
);

let keyDialogOpen = false;
async function askForKey(reason?: string): Promise<void> {
  if (keyDialogOpen) return;
  keyDialogOpen = true;
  const input = h('input', { class: 'input', type: 'password', id: 'api-key-input', autocomplete: 'off', spellcheck: 'false', value: apiKey.get(), autofocus: true });
  const result = await openDialog((close) => ({
    title: tr('apiKeyTitle'),
    body: [
      reason ? h('p', { class: 'notice notice-warn', role: 'alert' }, tr('apiKeyNeeded')) : '',
      h('p', { class: 'muted' }, tr('apiKeyHelp')),
      h('form', { id: 'key-form', onsubmit: (e: Event) => { e.preventDefault(); close('save'); } },
        h('div', { class: 'field' }, h('label', { for: input.id }, tr('apiKeyLabel')), input)),
    ],
    actions: [
      apiKey.get() ? h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => close('clear') }, tr('clear')) : '',
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => close('') }, tr('cancel')),
      h('button', { type: 'submit', form: 'key-form', class: 'btn btn-primary' }, tr('save')),
    ],
  }));
  keyDialogOpen = false;
  if (result === 'save' || result === 'clear') {
    apiKey.set(result === 'save' ? input.value.trim() : '');
    retext(keyLabel, apiKey.get() ? 'apiKeySet' : 'apiKey');
    route(); // reload the page's data with the new key
  }
}
setAuthListener(() => void askForKey('needed'));

let leave: (() => void) | void;
function route(): void {
  const path = location.hash.replace(/^#/, '') || '/create';
  const match = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  if (!match) { location.hash = '#/create'; return; }
  if (leave) leave();
  for (const [name, a] of navLinks) {
    if (name === match.r.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  setChildren(main);
  window.scrollTo(0, 0);
  leave = match.r.page(main, { ...(match.m!.groups ?? {}) });
  refreshI18n(main);
}

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});
window.addEventListener('unhandledrejection', (e) => {
  const msg = e.reason instanceof Error ? e.reason.message : String(e.reason);
  toast(msg, 'error');
});
initI18n();
route();
