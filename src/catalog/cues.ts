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
/** Every place folded text says it is about AI, models or chips (global: use with matchAll). */
export const AI_CONTEXT_ALL = new RegExp(
  `${B}(?:${CONTEXT_WORDS})${E}|模型|人工智能|人工智慧|开源|開源|智能体|智能體|推理|大模型|芯片|晶片|显卡|算力|ＡＩ|生成式|チャットボット|生成ai`,
  'gu',
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
// Anchored at both ends and tried on the last one to eight words only: a regex anchored at the end
// alone would be tried at every position of the clause, for every name in every report.
const COMPARISON = new RegExp(`^(?:(?:${STRONG})(?: [\\p{L}\\p{N}.]{1,16}){0,6}|(?:${WEAK})${FILLER}{0,3})$`, 'u');
const HAN = /[\u3400-\u9fff]/;
const CLAUSE_END = new Set(['.', '。', '!', '?', '！', '？', ';', '；', ':', '：', ',', '，', '\n']);
const QUOTES = /['’]s |["“”«»‘’'()]/g;
// The first words the comparison phrases above can start with (as prefixes).
const CUE_START = new RegExp(
  `^(?:${(
    'rival beat outperform surpass match overtak compar on parity compet challeng alternative takes aims goes edges ' +
      'upgrade successor based supera rivaliz compite paridad equiparando a desafia basado surpasse concurrent превосход ' +
      'сравним основан vs versus than against ahead behind similar like unlike over previous predecessor original ' +
      'earlier trails equal level frente mejor igual anterior contra melhor face gegen besser ao contrairement im против чем на'
  ).replace(/ /g, '|')})`,
  'u',
);
const COMPARISON_CJK =
  /(超越|超过|超過|媲美|比肩|对标|對標|击败|擊敗|胜过|勝過|不输|不輸|仅次于|僅次於|相比|对比|對比|挑战|挑戰|追平|逼近|堪比|基于|基於|此前的|上一代|前代|不同于|不同於|比)[^。！？!?；;]{0,8}$/u;

/**
 * True when the name starting at `start` of `folded` is named as a point of comparison: a comparison
 * word ends the few words before it in the same sentence ("… to rival OpenAI's o1", "超越 DeepSeek").
 */
export function isComparison(folded: string, start: number): boolean {
  const before = folded.slice(Math.max(0, start - 48), start);
  let cut = before.length - 1;
  while (cut >= 0 && !CLAUSE_END.has(before[cut] as string)) cut--;
  const clause = before
    .slice(cut + 1)
    .replace(QUOTES, ' ')
    .trim();
  if (HAN.test(clause) && COMPARISON_CJK.test(clause)) return true;
  const words = clause.split(/ +/);
  for (let k = 1; k <= Math.min(8, words.length); k++) {
    // A phrase can only be a comparison if it starts with a comparison word: most never reach the regex.
    const first = words[words.length - k] as string;
    if (CUE_START.test(first) && COMPARISON.test(words.slice(words.length - k).join(' '))) return true;
  }
  return false;
}
