// The part of @nlpjs/lang-fr (which ships no types) that ./french.ts uses.
declare module '@nlpjs/lang-fr' {
  export class NormalizerFr {
    normalize(text: string): string;
  }
  export class TokenizerFr {
    tokenize(text: string, normalize?: boolean): string[];
  }
  export class StopwordsFr {
    isStopword(word: string): boolean;
  }
  export class StemmerFr {
    stemWord(word: string): string;
  }
}
