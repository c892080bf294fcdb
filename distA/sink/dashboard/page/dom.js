export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes))
        if (value !== undefined)
            element.setAttribute(name, value);
    append(element, ...children);
    return element;
}
export function append(parent, ...children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false)
            continue;
        parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
}
export function replaceChildren(parent, ...children) {
    parent.replaceChildren();
    append(parent, ...children);
}
/** A real button (keyboard, focus, screen readers) that runs `action` on click. */
export function button(label, action, attributes = {}) {
    const b = h('button', { type: 'button', ...attributes }, label);
    b.addEventListener('click', action);
    return b;
}
/** "12 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function age(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 90)
        return `${s} s ago`;
    if (s < 90 * 60)
        return `${Math.round(s / 60)} min ago`;
    if (s < 36 * 3600)
        return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
}
export function isoMinute(ms) {
    return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
