package record

import (
	"encoding/binary"
	"hash/maphash"
)

// idSet remembers every id seen (and where) so that a duplicate is found
// exactly, however far apart the two records are, in memory that grows by
// about the id's length plus 20 bytes per record: the ids, their file and
// line are packed into one byte arena, and an open-addressing table of
// arena offsets, tagged with part of the hash, finds them. A map of
// strings would cost about four times as much at a million ids.
type idSet struct {
	seed  maphash.Seed
	arena []byte   // per id: uvarint file index, uvarint line, uvarint length, the id
	slots []uint64 // hash tag (high 32 bits) | arena offset + 1 (low 32 bits); 0 is empty
	n     int
	files []string
	file  map[string]uint64 // file name -> index in files
}

// add records id as seen at src, or returns where it was first seen.
func (s *idSet) add(id string, src Source) (first Source, dup bool) {
	if s.slots == nil {
		s.seed = maphash.MakeSeed()
		s.slots = make([]uint64, 1024)
		s.file = map[string]uint64{}
	}
	h := maphash.String(s.seed, id)
	tag := h >> 32
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		slot := s.slots[i]
		if slot == 0 {
			break
		}
		if slot>>32 != tag {
			continue
		}
		if f, line, got := s.at(int(slot&0xffffffff) - 1); string(got) == id {
			return Source{File: s.files[f], Line: line}, true
		}
	}
	if len(s.arena) >= 1<<32-1 {
		// Over 4 GiB of ids: give up exactness loudly rather than wrap.
		panic("record: more ids than the duplicate check can hold")
	}
	f, ok := s.file[src.File]
	if !ok {
		f = uint64(len(s.files))
		s.files = append(s.files, src.File)
		s.file[src.File] = f
	}
	off := len(s.arena)
	s.arena = binary.AppendUvarint(s.arena, f)
	s.arena = binary.AppendUvarint(s.arena, uint64(src.Line))
	s.arena = binary.AppendUvarint(s.arena, uint64(len(id)))
	s.arena = append(s.arena, id...)
	s.insert(tag<<32 | uint64(off+1))
	s.n++
	if 2*s.n > len(s.slots) {
		old := s.slots
		s.slots = make([]uint64, 2*len(old))
		for _, slot := range old {
			if slot != 0 {
				s.insert(slot)
			}
		}
	}
	return Source{}, false
}

// insert puts slot at the first free place of its probe sequence; the hash
// is recomputed from the arena (the tag holds only half of it).
func (s *idSet) insert(slot uint64) {
	_, _, id := s.at(int(slot&0xffffffff) - 1)
	mask := uint64(len(s.slots) - 1)
	for i := maphash.Bytes(s.seed, id) & mask; ; i = (i + 1) & mask {
		if s.slots[i] == 0 {
			s.slots[i] = slot
			return
		}
	}
}

// at decodes the entry at arena offset off; id points into the arena.
func (s *idSet) at(off int) (file uint64, line int, id []byte) {
	b := s.arena[off:]
	file, n := binary.Uvarint(b)
	b = b[n:]
	l, n := binary.Uvarint(b)
	b = b[n:]
	size, n := binary.Uvarint(b)
	b = b[n:]
	return file, int(l), b[:size]
}
