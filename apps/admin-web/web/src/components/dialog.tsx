import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, closes on Escape
 * (calling `onClose`) and makes the page behind it inert. A dialog that is not `dismissible`
 * (a secret shown once) ignores Escape: only its own buttons close it.
 */
export function Dialog({
  title,
  onClose,
  children,
  actions,
  role = 'dialog',
  dismissible = true,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  actions: ReactNode;
  role?: 'dialog' | 'alertdialog';
  dismissible?: boolean;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  const dismissibleRef = useRef(dismissible);
  dismissibleRef.current = dismissible;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    let open = true;
    // where focus goes back to: the dialog is already out of the page when it closes
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const cancel = (event: Event): void => {
      event.preventDefault();
      if (dismissibleRef.current) closeRef.current();
    };
    // a browser may still close it on a repeated close request: show it again
    const closed = (): void => {
      if (open && !dismissibleRef.current) dialog.showModal();
    };
    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('close', closed);
    return () => {
      open = false;
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('close', closed);
      dialog.close();
      if (opener?.isConnected === true) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={className === undefined ? 'dialog' : `dialog ${className}`}
      role={role}
      aria-labelledby={titleId}
      closedby={dismissible ? 'closerequest' : 'none'}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}
