// The package ships its declarations as `index.ts.d`, which TypeScript does not find.
declare module 'unicode-confusables' {
  /** Each character replaced by its UTS #39 confusables.txt prototype; zero-width characters dropped. */
  export function rectifyConfusion(input: string): string;
}
