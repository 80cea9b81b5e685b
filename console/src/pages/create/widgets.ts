// Small pieces the create page's sections share: numbered steps, drop zones, spinner lines.
import { h, icon } from '../../dom';
import { tr, type MsgKey } from '../../i18n';

/** One numbered step of the form. */
export const step = (n: number, key: MsgKey, ...body: (Node | string)[]): HTMLFieldSetElement =>
  h('fieldset', { class: 'card step' }, h('legend', {}, h('span', { class: 'step-num', 'aria-hidden': 'true' }, String(n)), tr(key)), ...body);

/** A file chooser that looks like a drop zone; the label makes it keyboard reachable. */
export function dropZone(input: HTMLInputElement, iconName: string, titleKey: MsgKey, hintKey: MsgKey): HTMLElement {
  return h('label', { class: 'drop', for: input.id, tabindex: 0, role: 'button', onkeydown: keyClick(input) },
    h('span', { class: 'drop-icon' }, icon(iconName, 28)),
    h('strong', {}, tr(titleKey)),
    h('small', {}, tr(hintKey)));
}

/** Files dropped on a box are chosen as if picked in its file chooser. */
export function acceptDrops(box: HTMLElement, choose: (f: File) => unknown): void {
  box.addEventListener('dragover', (e) => { e.preventDefault(); box.classList.add('drag'); });
  box.addEventListener('dragleave', () => box.classList.remove('drag'));
  box.addEventListener('drop', (e) => {
    e.preventDefault();
    box.classList.remove('drag');
    const f = e.dataTransfer?.files[0];
    if (f) void choose(f);
  });
}

/** Enter/Space on a focused label opens its file chooser. */
export function keyClick(input: HTMLInputElement): EventListener {
  return (e: Event) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Enter' || k === ' ') { e.preventDefault(); input.click(); }
  };
}

export function spinnerLine(key: MsgKey): HTMLElement {
  return h('p', { class: 'spinner-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), tr(key));
}
