import assert from "node:assert/strict";
import { standardizePronunciation } from "es-hangul";
import { alignWithLattice } from "../../../server/speech/scoring/alignment.ts";
import { choicesByDeviation } from "../../../server/speech/scoring/choices.ts";
import { pronunciationVariants, standardPronunciation } from "../../../server/speech/scoring/index.ts";
import { hangulWords, pronounceWords, pronunciationLattice } from "../../../server/speech/scoring/pronunciation.ts";

/** [written, its standard pronunciation, other pronunciations the rules allow (all of them)]. */
type Row = readonly [written: string, standard: string, alsoAllowed?: readonly string[]];

const rules: Record<string, Row[]> = {
  "제9-11항 final consonants before a pause": [
    ["닭", "닥"], ["꽃", "꼳"], ["부엌", "부억"], ["값", "갑"], ["삶", "삼"], ["히읗", "히읃"],
  ],
  "제11항 다만 ㄺ before ㄱ in verb stems, 제10항 다만 밟-": [
    ["읽고", "일꼬"], ["맑게", "말께"], ["읽다", "익따"], ["닭고기", "닥꼬기"], ["밟다", "밥따"], ["넓다", "널따"], ["넓죽하다", "넙쭈카다"],
  ],
  "제12항 ㅎ": [
    ["좋다", "조타"], ["놓고", "노코"], ["않고", "안코"], ["닳지", "달치"], ["많소", "만쏘"], ["놓는", "논는"], ["뚫는", "뚤른"],
    ["좋아요", "조아요"], ["많이", "마니"], ["싫어요", "시러요"], ["축하해요", "추카해요"], ["못해요", "모태요"], ["앉히다", "안치다"],
    ["맏형", "마텽"], ["옷 한 벌", "오 탄 벌", ["옫 한 벌"]],
  ],
  "제13-14항 carrying over": [
    ["옷이", "오시"], ["꽃이", "꼬치"], ["부엌에", "부어케"], ["있어요", "이써요"], ["닭을", "달글"], ["값이", "갑씨"], ["앉아", "안자"], ["젊어", "절머"],
  ],
  "제15항 reduced before a content word": [
    ["옷 입어요", "오 디버요", ["온 니버요", "옫 이버요"]], ["겉옷", "거돋"], ["맛없어요", "마덥써요"], ["맛있어요", "마시써요", ["마디써요"]],
    ["닭 앞에", "다 가페", ["닥 아페"]],
  ],
  "제17항 palatalisation": [
    ["같이", "가치"], ["굳이", "구지"], ["해돋이", "해도지"], ["굳히다", "구치다"], ["붙여요", "부처요"],
    // Only inside a word, before a particle or suffix: never across words.
    ["밭 이랑", "바 디랑", ["반 니랑", "받 이랑"]], ["곧 히", "고 티", ["곧 히"]],
  ],
  "제18-20항 nasals and ㄹ": [
    ["국물", "궁물"], ["먹는", "멍는"], ["입니다", "임니다"], ["없는", "엄는"], ["밟는", "밤는"], ["종로", "종노"], ["대통령", "대통녕"],
    ["협력", "혐녁"], ["신라", "실라"], ["설날", "설랄"], ["물난리", "물랄리"], ["생산량", "생산냥", ["생살량"]],
    ["밥 먹어요", "밤 머거요", ["밥 머거요"]], ["책 넣는다", "챙 넌는다", ["책 넌는다"]],
  ],
  "제23-27항 tensing": [
    ["학교", "학꾜"], ["국밥", "국빱"], ["앉고", "안꼬"], ["넓게", "널께"], ["감사", "감사"], ["반가워요", "반가워요"], ["한국어", "한구거"],
    ["할 수 있어요", "할 쑤 이써요", ["할 수 이써요"]], ["갈 곳", "갈 꼳", ["갈 곧"]],
  ],
  "제16항 names of the letters": [
    ["디귿이", "디그시"], ["지읒을", "지으슬"], ["치읓이", "치으시"], ["키읔이", "키으기"], ["티읕이", "티으시"], ["피읖에", "피으베"],
    ["히읗이", "히으시"],
  ],
  "제24항 endings after stems in ㄴ ㅁ (by the dictionary), 다만 the suffix -기-": [
    ["안고", "안꼬"], ["참다", "참따"], ["젊지", "점찌"], ["앉고", "안꼬"], ["안기다", "안기다"],
    // Spelled like a Sino-Korean noun: the noun (남자 男子, 감기 感氣), except before -고 -다 (신고 申告 / 신- + -고): both.
    ["남자", "남자"], ["감기에", "감기에"], ["신고", "신고", ["신꼬"]],
    // -기- or the noun ending -기: the dictionary does not know 옮기다, so both.
    ["옮기다", "옴기다", ["옴끼다"]],
  ],
  "제25항 only ㄼ ㄾ stems tense their endings: a stem in ㄹ before -다 stays plain (by the dictionary)": [
    ["멀다", "멀다"], ["길다", "길다"], ["놀다", "놀다"], ["만들다", "만들다"],
  ],
  "제26항 ㄹ + ㄷ ㅅ ㅈ in Sino-Korean words (by the dictionary's Hanja)": [
    ["갈등", "갈뜽"], ["발달", "발딸"], ["물질", "물찔"], ["발전", "발쩐"], ["갈증", "갈쯩"], ["실시", "실씨"], ["결석", "결썩"],
    // Native words and unknown words are not tensed by this article.
    ["멀지", "멀지", ["멀찌"]], ["살자", "살자", ["살짜"]],
  ],
  "제27항 after the future modifier -(으)ㄹ": [
    ["만날 사람", "만날 싸람", ["만날 사람"]], ["먹을 거예요", "머글 꺼예요", ["머글 거예요"]], ["할 것을", "할 꺼슬", ["할 거슬"]],
    ["할게요", "할께요"], ["갈게요", "갈께요"], ["할수록", "할쑤록"], ["할지", "할찌"],
    // Not after a noun: 서울 사람 [서울 사람].
    ["서울 사람", "서울 사람"], ["오늘 저녁", "오늘 저녁"],
  ],
  // 제28항: compounds without a written 사이시옷. The standard's own examples are tensed (a particle
  // may follow); 잠자리 is also "dragonfly" [잠자리].
  "제28항 compounds the standard lists: tensed": [
    ["문고리", "문꼬리"], ["눈동자", "눈똥자"], ["신바람", "신빠람"], ["산새", "산쌔"], ["손재주", "손째주"], ["길가", "길까"],
    ["물동이", "물똥이"], ["발바닥", "발빠닥"], ["굴속", "굴쏙"], ["술잔", "술짠"], ["바람결", "바람껼"], ["그믐달", "그믐딸"],
    ["아침밥", "아침빱"], ["잠자리", "잠자리", ["잠짜리"]], ["강가", "강까"], ["초승달", "초승딸"], ["등불", "등뿔"], ["창살", "창쌀"],
    ["강줄기", "강쭐기"], ["문고리를", "문꼬리를"], ["아침밥을", "아침빠블"],
  ],
  // Tensed or not is a fact of each compound the dictionary does not record: both are accepted.
  "제28항 compounds found by the dictionary: plain or tensed": [
    ["산길", "산길", ["산낄"]], ["손바닥", "손바닥", ["손빠닥"]], ["마음속", "마음속", ["마음쏙"]], ["물고기", "물고기", ["물꼬기"]],
    ["방바닥", "방바닥", ["방빠닥"]], ["밤색", "밤색", ["밤쌕"]], ["봄비", "봄비", ["봄삐"]], ["보름달", "보름달", ["보름딸"]],
    ["울음소리", "우름소리", ["우름쏘리"]],
  ],
  // Not compounds (제28항 is about compounds only; 제24항 tenses endings after verb stems, not nouns):
  // simple words, a noun and its particle or suffix, Sino-Korean words, a number and its counter.
  "제28항 not a compound: plain": [
    ["안개", "안개"], ["걸음", "거름"], ["감기", "감기"], ["번개", "번개"], ["신발", "신발"], ["얼굴", "얼굴"],
    ["불고기", "불고기"], ["사람도", "사람도"], ["물과", "물과"], ["이름보다", "이름보다"], ["정수기", "정수기"], ["점심시간", "점심시간"],
    ["환경보호", "환경보호"], ["노란색", "노란색"], ["열개", "열개"],
  ],
  "not a future modifier: words the dictionary knows as themselves": [
    ["잘 지내요", "잘 지내요"], ["물 주세요", "물 주세요"], ["사람입니다", "사라밈니다"],
  ],
  "제29항 ㄴ added": [
    ["솜이불", "솜니불"], ["한여름", "한녀름"], ["깻잎", "깬닙"], ["식용유", "시굥뉴"], ["할 일", "하 릴", ["할 릴", "할 일"]],
    ["월요일", "워료일"],
    // Found by the dictionary (부산 + 역): both the ㄴ and the plain link are accepted.
    ["부산역", "부산녁", ["부사녁"]], ["끝인사", "끈닌사", ["끄딘사"]],
  ],
  "제29항 다만 ㄴ added or not": [
    ["이죽이죽", "이중니죽", ["이주기죽"]], ["야금야금", "야금냐금", ["야그먀금"]], ["검열", "검녈", ["거멸"]],
    ["욜랑욜랑", "욜랑뇰랑", ["욜랑욜랑"]], ["금융", "금늉", ["그뮹"]],
  ],
  "제30항 the ㅅ between compound parts": [
    ["냇가", "낻까", ["내까"]], ["콧날", "콘날"],
  ],
  "제4-5항 and 제22항 vowels": [
    ["희망", "히망"], ["무늬", "무니"], ["띄어쓰기", "띠어쓰기"], ["의사", "의사"], ["주의", "주의", ["주이", "주에"]],
    ["우리의", "우리의", ["우리이", "우리에"]], ["시계", "시계", ["시게"]], ["예", "예"], ["외국", "외국", ["웨국"]],
    ["가져요", "가저요"], ["되어", "되어", ["뒈어", "되여", "뒈여"]], ["아니오", "아니오", ["아니요"]],
  ],
};

describe("pronunciationVariants", () => {
  for (const [rule, rows] of Object.entries(rules)) {
    describe(rule, () => {
      for (const [written, standard, alsoAllowed = []] of rows) {
        it(`${written} [${[standard, ...alsoAllowed].join("/")}]`, () => {
          assert.deepEqual(pronunciationVariants(written), [standard, ...alsoAllowed]);
          assert.equal(standardPronunciation(written), standard);
        });
      }
    });
  }

  // es-hangul is right on most words; where it is, we agree with it.
  const agreedWithEsHangul = [
    "안녕하세요", "고맙습니다", "괜찮아요", "좋아해요", "읽어요", "있어요", "몫", "넋이", "싫다", "꽃밭", "닫아",
    "식물", "작년", "십만", "법률", "강릉", "난로", "칼날", "떡볶이", "부엌", "무릎", "늦게", "낮잠", "입구", "박물관",
  ];
  it("agrees with es-hangul's standardizePronunciation where that is right", () => {
    for (const word of agreedWithEsHangul) assert.equal(standardPronunciation(word), standardizePronunciation(word), word);
  });

  it("corrects es-hangul where it is wrong", () => {
    const corrections: Array<[string, string]> = [["읽고", "일꼬"], ["감사", "감사"], ["반가워요", "반가워요"], ["한국어", "한구거"], ["밟다", "밥따"], ["월요일", "워료일"]];
    for (const [word, standard] of corrections) {
      assert.notEqual(standardizePronunciation(word), standard, `es-hangul now gets ${word} right; move it to the agreed list`);
      assert.equal(standardPronunciation(word), standard, word);
    }
  });

  it("keeps the syllable count, so each sound maps back to its written syllable", () => {
    for (const text of ["옷 입어요", "닭을 읽고", "할 수 있어요", "우리의 시계", "맛있어요"]) {
      const count = Array.from(text.replaceAll(" ", "")).length;
      for (const said of pronunciationVariants(text)) assert.equal(Array.from(said.replaceAll(" ", "")).length, count, said);
    }
  });

  it("caps the variants of a long line without losing the standard one", () => {
    const line = "시계 외국 우리의 주의 희망 맛있어요 옷 입어요 밥 먹어요 할 수 있어요 되어 시계 외국 우리의";
    const variants = pronunciationVariants(line);
    assert.equal(variants.length, 32);
    assert.equal(variants[0], standardPronunciation(line));
    assert.equal(pronunciationVariants(line, 5).length, 5);
  });

  it("gives nothing for text without Hangul", () => {
    assert.deepEqual(pronunciationVariants("OK!"), [""]);
  });
});

describe("pronounceWords for what was heard", () => {
  // A transcript is said only by its standard pronunciation, and at word boundaries with or
  // without a pause: never with the target's optional variants.
  const rows: Array<[heard: string, pronunciations: string[]]> = [
    ["일직", ["일직"]],
    ["진자", ["진자"]],
    ["시계", ["시계"]],
    ["신고", ["신고"]],
    ["갈등", ["갈뜽"]],
    // 제28항: a listed compound is heard tensed; one the dictionary finds as spelled (its plain form).
    ["문고리", ["문꼬리"]],
    ["산길", ["산길"]],
    ["옷 입어요", ["오디버요", "옫이버요"]],
    ["할 수", ["할쑤", "할수"]],
  ];
  for (const [heard, pronunciations] of rows) {
    it(`${heard}: ${pronunciations.join(", ")}`, () => {
      assert.deepEqual(pronounceWords(hangulWords(heard), 8, "heard").map((said) => said.join("")), pronunciations);
    });
  }
});

describe("pronunciationLattice", () => {
  it("holds exactly the listed pronunciations when they are few", () => {
    for (const text of ["옷 입어요", "우리의 시계", "할 일", "맛있어요 외국", "밥 먹어요"]) {
      const words = hangulWords(text);
      const lattice = pronunciationLattice(words);
      const listed = pronounceWords(words, 1000);
      assert.ok(listed.length < 100);
      for (const said of listed) assert.equal(alignWithLattice(lattice, said).cost, 0, said.join(""));
      // A path through the lattice that mixes the two sides of one seam is not a pronunciation:
      // 옷 입어요 is [오디버요], [온니버요] or [옫이버요], never [오이버요].
      if (text === "옷 입어요") assert.ok(alignWithLattice(lattice, Array.from("오이버요")).cost > 0);
    }
  });
});

describe("choicesByDeviation", () => {
  it("lists the standard choice, then single departures, then pairs", () => {
    assert.deepEqual([...choicesByDeviation([2, 1, 3], 100)], [
      [0, 0, 0],
      [1, 0, 0], [0, 0, 1], [0, 0, 2],
      [1, 0, 1], [1, 0, 2],
    ]);
  });

  it("stops at the limit", () => {
    assert.equal([...choicesByDeviation(new Array(30).fill(2), 10)].length, 10);
  });
});
