package text_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/llm-map/lab/lmkit/text"
)

func ExampleNewRune() {
	tok := text.NewRune("강아지와 고양이", text.Unk)
	ids := tok.Encode("고양이와 강아지!")
	fmt.Println(tok.VocabSize(), ids)
	fmt.Println(tok.Decode(ids))
	// Output:
	// 9 [3 5 7 6 1 2 4 8 0]
	// 고양이와 강아지<unk>
}

func ExampleRune_EncodeStrict() {
	tok := text.NewRune("abc")
	_, err := tok.EncodeStrict("cab!")
	fmt.Println(err)
	// Output:
	// text: rune '!' (U+0021) at byte 3 is not in the vocabulary of 3 tokens (build it again with NewRune on text that contains it, or with NewRune(corpus, "<unk>") so unknown runes map to <unk>)
}

func ExampleSplitWords() {
	fmt.Printf("%q\n", text.SplitWords("Don't panic, 강아지!", true))
	// Output:
	// ["don" "'" "t" "panic" "," "강아지" "!"]
}

func ExampleNewWord() {
	tok, err := text.NewWord("The cat sat. The dog sat. A bird flew.", text.WordOptions{MinCount: 2, Lower: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	ids := tok.Encode("The bird sat.")
	fmt.Println(tok.VocabSize(), ids)
	fmt.Println(tok.Decode(ids))
	// Output:
	// 4 [3 0 2 1]
	// the <unk> sat.
}

func ExampleTrainBPE() {
	tok, err := text.TrainBPE("low lower lowest low low", 260)
	if err != nil {
		fmt.Println(err)
		return
	}
	for id := 256; id < tok.VocabSize(); id++ {
		fmt.Printf("%d %q\n", id, tok.Token(id))
	}
	ids := tok.Encode("lowest\xff")
	fmt.Println(ids, tok.Decode(ids) == "lowest\xff")
	// Output:
	// 256 "lo"
	// 257 "low"
	// 258 " low"
	// 259 " lowe"
	// [257 101 115 116 255] true
}

func ExampleLoad() {
	dir, err := os.MkdirTemp("", "text")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tokenizer.json")

	bpe, _ := text.TrainBPE("hello hello help", 258)
	if err := bpe.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	tok, err := text.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.Kind(), tok.VocabSize(), tok.Encode("hello"))
	// Output:
	// bpe 258 [257 108 111]
}
