// Types shared by the components' props, importable without importing a component.

export type Tone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface TableColumn<Row> {
  /** A key of the row, or any name for a computed column rendered by the `cell-<key>` slot. */
  key: Extract<keyof Row, string> | (string & {});
  label: string;
  sortable?: boolean;
  align?: 'left' | 'right' | 'center';
  /** Hide the header text (keeps it for screen readers), e.g. for an actions column. */
  hideLabel?: boolean;
  /**
   * Leave the column out on screens narrower than this breakpoint, so a phone shows what a row
   * is and its actions without scrolling sideways; the details stay a tap away.
   */
  hideBelow?: 'sm' | 'md' | 'lg';
}

export interface TableSort {
  key: string;
  direction: 'asc' | 'desc';
}
