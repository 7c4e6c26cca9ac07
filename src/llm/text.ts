// Text in and out of a model: the tokenizer (tokenizer.json through @huggingface/tokenizers), the chat template
// (tokenizer_config.json's Jinja template through @huggingface/jinja) and incremental decoding for streaming.
import { Tokenizer } from '@huggingface/tokenizers';
import { Template } from '@huggingface/jinja';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | string;
  content: string;
}

/** tokenizer_config.json members tsnn reads (others are passed to the chat template as they are). */
export interface TokenizerConfig {
  chat_template?: string | { name: string; template: string }[];
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  add_bos_token?: boolean;
  [key: string]: unknown;
}

const tokenText = (t: TokenizerConfig['bos_token']): string | undefined => (typeof t === 'string' ? t : t?.content);

export class TextCodec {
  readonly #tokenizer: Tokenizer;
  readonly #template: Template | undefined;
  readonly #config: TokenizerConfig;

  constructor(tokenizerJson: object, config: TokenizerConfig) {
    this.#tokenizer = new Tokenizer(tokenizerJson, config);
    this.#config = config;
    const source = typeof config.chat_template === 'string'
      ? config.chat_template
      : config.chat_template?.find((t) => t.name === 'default')?.template ?? config.chat_template?.[0]?.template;
    this.#template = source ? new Template(source) : undefined;
  }

  get hasChatTemplate(): boolean {
    return this.#template !== undefined;
  }

  /** Token ids of `text`, with the tokenizer's own special tokens (e.g. a BOS) unless `addSpecialTokens` is false. */
  encode(text: string, addSpecialTokens = true): number[] {
    return this.#tokenizer.encode(text, { add_special_tokens: addSpecialTokens }).ids;
  }

  decode(ids: readonly number[], skipSpecialTokens = true): string {
    if (ids.length === 0) return '';
    return this.#tokenizer.decode([...ids], { skip_special_tokens: skipSpecialTokens });
  }

  /** The prompt text for a conversation, ending with the assistant's turn opened. */
  applyChatTemplate(messages: readonly ChatMessage[]): string {
    if (!this.#template) throw new Error('this model has no chat template (tokenizer_config.json has no chat_template)');
    return this.#template.render({
      ...this.#config,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: true,
      bos_token: tokenText(this.#config.bos_token) ?? '',
      eos_token: tokenText(this.#config.eos_token) ?? '',
    });
  }

  /** Token ids of a chat prompt (the template writes the special tokens itself). */
  encodeChat(messages: readonly ChatMessage[]): number[] {
    return this.encode(this.applyChatTemplate(messages), false);
  }
}

/**
 * Turns a growing list of token ids into text pieces as they become final: a token that ends inside a multi-byte
 * character (decoded as U+FFFD) waits for the next one. Decodes a window of recent tokens, with one token of
 * context before it so that tokenizers that drop a leading space at the start of a text keep it.
 */
export class TextStream {
  readonly #ids: number[] = [];
  /** Index of the first token of the current window; the token before it (if any) is context only. */
  #start = 0;
  /** Text of the window already emitted. */
  #emitted = 0;

  constructor(private readonly codec: TextCodec, private readonly windowTokens = 64) {}

  /** Adds a token; returns the text that is now final ('' when it must wait). */
  push(id: number): string {
    this.#ids.push(id);
    const text = this.#windowText();
    if (text.endsWith('\uFFFD')) return '';
    const piece = text.slice(this.#emitted);
    this.#emitted = text.length;
    if (this.#ids.length - this.#start >= this.windowTokens) {
      this.#start = this.#ids.length;
      this.#emitted = 0;
    }
    return piece;
  }

  /** Whatever is left when generation ends (e.g. an incomplete character, as U+FFFD). */
  flush(): string {
    const text = this.#windowText();
    const piece = text.slice(this.#emitted);
    this.#emitted = text.length;
    return piece;
  }

  #windowText(): string {
    if (this.#start === 0) return this.codec.decode(this.#ids);
    const context = this.codec.decode(this.#ids.slice(this.#start - 1, this.#start));
    const full = this.codec.decode(this.#ids.slice(this.#start - 1));
    // When the context token's text is not a prefix (it ended inside a character), decode the window alone.
    return full.startsWith(context) ? full.slice(context.length) : this.codec.decode(this.#ids.slice(this.#start));
  }
}
