package networks

// unionFind is a disjoint-set forest over accounts 0..n-1, with path
// halving and union by size: each operation is effectively constant time.
// It cannot split sets, so a batch builds its own (clusters are facts of
// one batch, rebuilt per run).
type unionFind struct {
	parent []int32
	size   []int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

// find returns the root of i's set.
func (u *unionFind) find(i int32) int32 {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

// union joins the sets of a and b and reports whether they were apart.
func (u *unionFind) union(a, b int32) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	if u.size[ra] < u.size[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	u.size[ra] += u.size[rb]
	return true
}

// roots returns every element's root, the sets flattened.
func (u *unionFind) roots() []int32 {
	out := make([]int32, len(u.parent))
	for i := range out {
		out[i] = u.find(int32(i))
	}
	return out
}
