import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface RowMenuItem {
  readonly label: string;
  readonly onSelect: () => void;
  readonly danger?: boolean;
}

/** Where the open menu goes: under its button (over it near the window's bottom), right-aligned. */
interface Place {
  readonly top?: number;
  readonly bottom?: number;
  readonly right: number;
}

const MENU_ITEM_HEIGHT = 40;

function placeUnder(button: HTMLElement, items: number): Place {
  const rect = button.getBoundingClientRect();
  const right = Math.max(8, window.innerWidth - rect.right);
  return rect.bottom + items * MENU_ITEM_HEIGHT + 16 > window.innerHeight
    ? { bottom: window.innerHeight - rect.top + 4, right }
    : { top: rect.bottom + 4, right };
}

/**
 * A row's "Actions for <name>" menu button (the menu-button pattern): arrows move between
 * items, Escape closes it and returns to the button. The menu is fixed to the window so a
 * scrolling table does not clip it, and follows its button when the page or table scrolls.
 */
export function RowMenu({ name, items }: { name: string; items: readonly RowMenuItem[] }) {
  const [place, setPlace] = useState<Place | undefined>();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const open = place !== undefined;

  const menuItems = (): HTMLButtonElement[] =>
    Array.from(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    menuItems()[0]?.focus();
    const outside = (event: PointerEvent): void => {
      const target = event.target as Node | null;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) {
        setPlace(undefined);
      }
    };
    // the page or the table scrolled: stay under the button
    const follow = (): void => {
      if (buttonRef.current) setPlace(placeUnder(buttonRef.current, items.length));
    };
    document.addEventListener('pointerdown', outside);
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    return () => {
      document.removeEventListener('pointerdown', outside);
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
    };
  }, [open, items.length]);

  const close = (): void => {
    setPlace(undefined);
    buttonRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    const all = menuItems();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const move = (index: number): void => {
      event.preventDefault();
      all[(index + all.length) % all.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'ArrowUp':
        move(at - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(all.length - 1);
        break;
      case 'Escape':
        event.preventDefault();
        close();
        break;
      case 'Tab':
        setPlace(undefined);
        break;
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button button-small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          if (open) setPlace(undefined);
          else if (buttonRef.current) setPlace(placeUnder(buttonRef.current, items.length));
        }}
      >
        Actions<span className="visually-hidden"> for {name}</span>
        <span aria-hidden="true"> ▾</span>
      </button>
      {place === undefined ? null : (
        <ul
          ref={(element) => {
            menuRef.current = element;
            // fixed to the window: set through the CSSOM (the CSP forbids style attributes)
            if (element === null) return;
            element.style.top = place.top === undefined ? '' : `${place.top}px`;
            element.style.bottom = place.bottom === undefined ? '' : `${place.bottom}px`;
            element.style.right = `${place.right}px`;
          }}
          id={menuId}
          role="menu"
          aria-label={`Actions for ${name}`}
          className="menu"
          onKeyDown={onKeyDown}
        >
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={item.danger === true ? 'menu-item menu-item-danger' : 'menu-item'}
                onClick={() => {
                  setPlace(undefined);
                  // a dialog opened by the item returns focus here when it closes
                  buttonRef.current?.focus();
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
