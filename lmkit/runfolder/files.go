package runfolder

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/llm-map/lab/lmkit/text"
)

const (
	configFile     = "config.json"
	tokenizerFile  = "tokenizer.json"
	historyFile    = "history.jsonl"
	checkpointFile = "checkpoint.bin"
	summaryFile    = "summary.json"
	lockFile       = "lock"
	vectorsFile    = "vectors.bin"
	vectorsText    = "vectors.txt"
	vocabFile      = "vocab.txt"
)

// Create makes dir (and its parents) and checks that it can be written.
func Create(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("runfolder: cannot create %s: %w (choose a writable folder)", dir, err)
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return fmt.Errorf("runfolder: %s is not writable: %w (choose another folder)", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// HasCheckpoint reports whether dir holds a checkpoint (a run to resume or load).
func HasCheckpoint(dir string) bool { return exists(filepath.Join(dir, checkpointFile)) }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// WriteConfig records v (a run's configuration) as dir/config.json.
func WriteConfig(dir string, v any) error { return writeJSON(filepath.Join(dir, configFile), v) }

// ReadConfig decodes dir/config.json into v. A folder without one is an error that says so.
func ReadConfig(dir string, v any) error {
	path := filepath.Join(dir, configFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if HasCheckpoint(dir) {
			return fmt.Errorf("runfolder: %s has a checkpoint but no %s, so what model it holds is unknown: restore %s, or delete the folder to start again",
				dir, configFile, configFile)
		}
		return fmt.Errorf("runfolder: %s is not a run folder (it has no %s): train a model into it first", dir, configFile)
	} else if err != nil {
		return fmt.Errorf("runfolder: %w", err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("runfolder: %s is damaged (%v): restore it, or delete the run folder to start again", path, err)
	}
	return nil
}

// SaveTokenizer writes tok as dir/tokenizer.json.
func SaveTokenizer(dir string, tok text.Tokenizer) error {
	return tok.Save(filepath.Join(dir, tokenizerFile))
}

// LoadTokenizer reads dir/tokenizer.json.
func LoadTokenizer(dir string) (text.Tokenizer, error) {
	tok, err := text.Load(filepath.Join(dir, tokenizerFile))
	if err != nil {
		return nil, fmt.Errorf("runfolder: %w", err)
	}
	return tok, nil
}

// SameTokenizer reports whether dir's saved tokenizer is tok, token for token. A folder
// without a tokenizer reports true: there is nothing to contradict.
func SameTokenizer(dir string, tok text.Tokenizer) (bool, error) {
	path := filepath.Join(dir, tokenizerFile)
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	} else if err != nil {
		return false, fmt.Errorf("runfolder: %w", err)
	}
	tmp, err := os.CreateTemp("", "lmkit-tokenizer-*.json")
	if err != nil {
		return false, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := tok.Save(tmp.Name()); err != nil {
		return false, err
	}
	cur, err := os.ReadFile(tmp.Name())
	if err != nil {
		return false, err
	}
	return string(old) == string(cur), nil
}

// Record is one line of the history: the mean training loss since the previous record and,
// at evaluation steps, the validation loss.
type Record struct {
	Step         int      `json:"step"`
	TrainLoss    float64  `json:"train_loss"`
	ValLoss      *float64 `json:"val_loss,omitempty"`
	LR           float64  `json:"lr"`
	GradNorm     float64  `json:"grad_norm"`
	TokensPerSec float64  `json:"tokens_per_sec"`
	ElapsedS     float64  `json:"elapsed_s"`
}

// ReadHistory reads dir/history.jsonl (for plots of finished runs). A line cut short by a
// crash is skipped.
func ReadHistory(dir string) ([]Record, error) {
	f, err := os.Open(filepath.Join(dir, historyFile))
	if err != nil {
		return nil, fmt.Errorf("runfolder: %w (is %s a run folder?)", err, dir)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec Record
		if json.Unmarshal(sc.Bytes(), &rec) == nil {
			out = append(out, rec)
		}
	}
	return out, sc.Err()
}

// TrimHistory keeps the records up to step upTo, dropping any written after the checkpoint
// (and a line cut short by a crash), rewrites the file to match, and returns them.
func TrimHistory(dir string, upTo int64) ([]Record, error) {
	all, err := ReadHistory(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var out []Record
	var buf []byte
	for _, rec := range all {
		if int64(rec.Step) > upTo {
			continue
		}
		out = append(out, rec)
		line, _ := json.Marshal(rec)
		buf = append(append(buf, line...), '\n')
	}
	return out, writeAtomic(filepath.Join(dir, historyFile), buf)
}

// RemoveHistory deletes the history, for a run that starts from step 0.
func RemoveHistory(dir string) error {
	if err := os.Remove(filepath.Join(dir, historyFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("runfolder: %w", err)
	}
	return nil
}

// AppendHistory adds rec to dir/history.jsonl.
func AppendHistory(dir string, rec Record) error {
	f, err := os.OpenFile(filepath.Join(dir, historyFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("runfolder: appending history: %w", err)
	}
	line, _ := json.Marshal(rec)
	_, err = f.Write(append(line, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("runfolder: appending history in %s: %w: the disk is full; the last checkpoint is intact: free some space and run again to resume", dir, err)
	}
	return err
}

// Summary is dir/summary.json: a language-model or classifier run's result in one place.
type Summary struct {
	Model        string  `json:"model"`
	Data         string  `json:"data"`
	Seed         uint64  `json:"seed"`
	Backend      string  `json:"backend"`
	Steps        int     `json:"steps"`
	TrainLoss    float64 `json:"train_loss"`
	ValLoss      float64 `json:"val_loss"`
	TokensPerSec float64 `json:"tokens_per_sec"`
	ElapsedS     float64 `json:"elapsed_s"`
	Params       int     `json:"params"`
	StoppedBy    string  `json:"stopped_by"` // "steps", "minutes" or "interrupt"
	// Accuracy is the validation accuracy, for tasks scored by it (classification, recall).
	Accuracy *float64 `json:"accuracy,omitempty"`
	// Evals holds accuracies measured later on other data (lmkit classify eval), by file.
	Evals map[string]float64 `json:"evals,omitempty"`
}

// WriteSummary writes s as dir/summary.json.
func WriteSummary(dir string, s *Summary) error { return WriteSummaryOf(dir, s) }

// ReadSummary reads a finished run's summary.json.
func ReadSummary(dir string) (*Summary, error) {
	var s Summary
	if err := ReadSummaryOf(dir, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// WriteSummaryOf writes any summary value (a word2vec run's, say) as dir/summary.json.
func WriteSummaryOf(dir string, v any) error { return writeJSON(filepath.Join(dir, summaryFile), v) }

// ReadSummaryOf decodes dir/summary.json into v.
func ReadSummaryOf(dir string, v any) error {
	raw, err := os.ReadFile(filepath.Join(dir, summaryFile))
	if err != nil {
		return fmt.Errorf("runfolder: %w (has the run in %s finished?)", err, dir)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("runfolder: %s/%s is damaged (%v): train the run again", dir, summaryFile, err)
	}
	return nil
}

// Vectors is the path of a word2vec run's vectors (word2vec's binary format), VectorsText
// of the same in the text format, and Vocab of the word counts.
func Vectors(dir string) string     { return filepath.Join(dir, vectorsFile) }
func VectorsText(dir string) string { return filepath.Join(dir, vectorsText) }
func Vocab(dir string) string       { return filepath.Join(dir, vocabFile) }

// SummaryPath is where a run's summary is, for messages that point the user at it.
func SummaryPath(dir string) string { return filepath.Join(dir, summaryFile) }
