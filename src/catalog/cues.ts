/**
 * Words around a name that change what it means, in the languages the feeds use. All patterns run on
 * folded text (lower case, diacritics removed, hyphens as spaces; see fold.ts).
 */

const B = String.raw`(?:^|[^\p{L}\p{N}])`;
const E = String.raw`(?=$|[^\p{L}\p{N}])`;

// Words that make an ambiguous name ("Gemini", "Llama", "Mistral", "Nvidia") mean the AI company or
// model: English, Spanish, Portuguese, French, German, Italian, Russian, Chinese and Japanese.
const CONTEXT_WORDS = [
  'models?|llms?|ai|a\\.i\\.|chatbots?|open weights?|weights|parameters|benchmarks?|reasoning|inference|tokens?|api',
  'agents?|agentic|multimodal|gpus?|chips?|microchips?|semiconductors?|fine tun\\w*|open source|chatgpt|startups?',
  'artificial intelligence|machine learning|deep learning|generative',
  'modelos?|inteligencia artificial|inteligencia|ia|pesos|parametros|razonamiento|semiconductores|chips?',
  'inteligencia artificial|modelo de linguagem|parametros|raciocinio|semicondutores',
  'modele|modeles|intelligence artificielle|puces|ki|sprachmodell\\w*|kunstliche intelligenz|intelligenza artificiale',
  'ии|нейросет\\w*|модел\\w*|искусственн\\w* интеллект\\w*',
].join('|');
/** True when a window of folded text says it is about AI, models or chips. */
export const AI_CONTEXT = new RegExp(
  `${B}(?:${CONTEXT_WORDS})${E}|模型|人工智能|人工智慧|开源|開源|智能体|智能體|推理|大模型|芯片|晶片|显卡|算力|ＡＩ|生成式|チャットボット|生成ai`,
  'u',
);

// A name right after one of these is what a report compares with, not what it is about:
// "rivals OpenAI's o1", "supera a GPT-4o", "媲美 Gemini 3 Pro", "compared to the previous R1".
// Strong words may be a few words away ("to match the reasoning of Google's Gemini 3 Pro"); weak ones
// ("like", "than", "como") only right before the name.
const STRONG = [
  'rivals?|rivall?ing|beats?|beating|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|match(?:es|ing)?|overtak(?:es|ing)',
  'compared (?:to|with)|comparable (?:to|with)|on par with|parity with|competing with|compete with|challeng(?:es|er to|ing)',
  'alternative to|takes on|takes aim at|aims at|goes after|edges out|upgrade (?:of|to)|successor to|based on',
  'supera|superar|superando|rivaliza|rivalizar|compite con|competir con|comparable (?:a|con)|paridad con|equiparando a',
  'a la altura de|desafia a|basado en|comparavel a|surpasse|concurrent de|превосход\\w*|сравним\\w*|основан\\w* на',
].join('|');
const WEAK = [
  'vs|versus|than|against|ahead of|behind|similar to|like|unlike|over|competitors?(?: like| such as| including)?|previous|predecessor',
  'original|earlier|trails|equal to|level of|frente a|mejor que|igual que|anterior|contra|melhor que|face a|gegen',
  'besser als|a diferencia de|ao contrario de|contrairement a|im gegensatz zu|против|чем|на уровне',
].join('|');
const FILLER =
  '(?: (?:its|their|the|a|an|el|la|los|las|o|de|del|of|to|with|directly|directamente|even|incluso|already|ya))';
const COMPARISON = new RegExp(`${B}(?:(?:${STRONG})(?: [\\p{L}\\p{N}.]{1,16}){0,6}|(?:${WEAK})${FILLER}{0,3}) ?$`, 'u');
const COMPARISON_CJK =
  /(超越|超过|超過|媲美|比肩|对标|對標|击败|擊敗|胜过|勝過|不输|不輸|仅次于|僅次於|相比|对比|對比|挑战|挑戰|追平|逼近|堪比|基于|基於|此前的|上一代|前代|不同于|不同於|比)[^。！？!?；;]{0,8}$/u;

/**
 * True when the name starting at `start` of `folded` is named as a point of comparison: a comparison
 * word ends the few words before it in the same sentence ("… to rival OpenAI's o1", "超越 DeepSeek").
 */
export function isComparison(folded: string, start: number): boolean {
  const before = folded.slice(Math.max(0, start - 48), start);
  const clause = before.split(/[.。!?！？;；:：,，\n]/).pop() ?? '';
  const trimmed = clause
    .replace(/['’]s /g, ' ')
    .replace(/["“”«»‘’'()]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ $/, '');
  return COMPARISON.test(trimmed) || COMPARISON_CJK.test(trimmed);
}
