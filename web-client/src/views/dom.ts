/** A few DOM helpers: building elements declaratively and updating keyed lists in place. */

export type Child = Node | string | number | null | undefined | false | Child[];

type EventHandlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface Props {
  class?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
  dataset?: Record<string, string | number>;
  on?: EventHandlers;
  [property: string]: unknown;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === "class") element.className = String(value);
    else if (key === "text") element.textContent = String(value);
    else if (key === "attrs") {
      for (const [name, attribute] of Object.entries(value as Props["attrs"] ?? {})) {
        if (attribute === null || attribute === undefined || attribute === false) continue;
        element.setAttribute(name, attribute === true ? "" : String(attribute));
      }
    } else if (key === "dataset") {
      for (const [name, data] of Object.entries(value as Record<string, string>)) element.dataset[name] = String(data);
    } else if (key === "on") {
      for (const [name, handler] of Object.entries(value as EventHandlers)) element.addEventListener(name, handler as EventListener);
    } else {
      (element as unknown as Record<string, unknown>)[key] = value;
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function setChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export interface KeyedItem {
  key: string;
  /** Anything that changes when the item must be drawn again. */
  version: string;
  render: () => HTMLElement;
}

/**
 * Brings `list`'s children in line with `items`, reusing the element of every item whose version
 * is unchanged, so focus and text typed into untouched items survive updates.
 */
export function reconcile(list: Element, items: readonly KeyedItem[]): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(list.children) as HTMLElement[]) {
    if (child.dataset.key) existing.set(child.dataset.key, child);
  }
  let cursor: Element | null = list.firstElementChild;
  for (const item of items) {
    let element = existing.get(item.key);
    if (element && element.dataset.version !== item.version) {
      const fresh = decorate(item);
      element.replaceWith(fresh);
      if (cursor === element) cursor = fresh;
      element = fresh;
    }
    element ??= decorate(item);
    existing.delete(item.key);
    if (element !== cursor) list.insertBefore(element, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const stale of existing.values()) stale.remove();
}

function decorate(item: KeyedItem): HTMLElement {
  const element = item.render();
  element.dataset.key = item.key;
  element.dataset.version = item.version;
  return element;
}
