package invapi

import (
	"context"
	"net/url"
	"strings"
)

// VMService wraps vm.php: snapshots and statistics of virtual servers.
//
// The vendor lists vm.php's actions by name only, with no parameter list:
// the fields modelled here are those HOSTKEY's MCP server sends (a server
// id and a snapshot name), and Client.Do reaches anything else.
type VMService service

var (
	vmCreateSnapshot  = endpoint{module: "vm", action: "create_snapshot", class: change, async: eqCallback, settle: "vm/get_snapshot", evidence: byClient("mcp")}
	vmGetSnapshot     = endpoint{module: "vm", action: "get_snapshot", class: read, evidence: byClient("mcp")}
	vmLoadStats       = endpoint{module: "vm", action: "load_stats", class: read, evidence: byClient("mcp")}
	vmRemoveSnapshot  = endpoint{module: "vm", action: "remove_snapshot", class: change, async: eqCallback, settle: "vm/get_snapshot", evidence: byClient("mcp")}
	vmRestoreSnapshot = endpoint{module: "vm", action: "restore_snapshot", class: change, async: eqCallback, settle: "eq/status", evidence: byClient("mcp")}
	vmUpdateRestore   = endpoint{module: "vm", action: "update_restore_settings", class: change, settle: "vm/get_snapshot", evidence: guessed}
	// Not in the vendor catalogue: HOSTKEY's MCP server calls it.
	vmGetEngine = endpoint{module: "vm", action: "get_engine", class: read, evidence: byClient("mcp")}
)

// Snapshot is a snapshot of a virtual server.
type Snapshot struct {
	// SnapshotID is the snapshot's id, which HOSTKEY's MCP server lists
	// with each snapshot; 0 when the answer has none.
	SnapshotID int    `json:"snapshot_id"`
	Name       string `json:"name"`
	Date       string `json:"date"` // as the API prints it, e.g. "2026-11-24 09:20:00"
	Size       string `json:"size"` // e.g. "4.2 GB"
}

// RestoreSettings are a virtual server's automatic restore and snapshot
// rotation settings.
type RestoreSettings struct {
	AutoRestore bool `json:"auto_restore"`
	Rotation    int  `json:"rotation"` // snapshots kept
}

// Snapshots is the answer of vm.php get_snapshot.
type Snapshots struct {
	Snapshots []Snapshot      `json:"snapshots"`
	Settings  RestoreSettings `json:"settings"`
	RawJSON
}

// VMStats is a virtual server's resource usage (vm.php load_stats).
type VMStats struct {
	CPU       float64 `json:"cpu"`      // percent
	RAMUsed   int64   `json:"ram_used"` // MB
	RAMTotal  int64   `json:"ram_total"`
	DiskRead  int64   `json:"disk_read"` // bytes
	DiskWrite int64   `json:"disk_write"`
	NetIn     int64   `json:"net_in"` // bytes
	NetOut    int64   `json:"net_out"`
}

func snapshotForm(id int, name string, required bool) (url.Values, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	if required && strings.TrimSpace(name) == "" {
		return nil, invalid("name", "snapshot name is empty")
	}
	f := url.Values{"id": {itoa(id)}}
	if name != "" {
		f.Set("name", name)
	}
	return f, nil
}

// CreateSnapshot snapshots a virtual server (vm.php create_snapshot); name
// may be empty for the API's default. Wait on the Operation.
func (s *VMService) CreateSnapshot(ctx context.Context, id int, name string) (*Operation, error) {
	f, err := snapshotForm(id, name, false)
	if err != nil {
		return nil, err
	}
	return start(ctx, s.client, &vmCreateSnapshot, f)
}

// GetSnapshot returns a virtual server's snapshots and restore settings
// (vm.php get_snapshot).
func (s *VMService) GetSnapshot(ctx context.Context, id int) (*Snapshots, error) {
	f, err := snapshotForm(id, "", false)
	if err != nil {
		return nil, err
	}
	return get[Snapshots](ctx, s.client, &vmGetSnapshot, f)
}

// RemoveSnapshot deletes a snapshot (vm.php remove_snapshot).
func (s *VMService) RemoveSnapshot(ctx context.Context, id int, name string) (*Operation, error) {
	f, err := snapshotForm(id, name, true)
	if err != nil {
		return nil, err
	}
	return start(ctx, s.client, &vmRemoveSnapshot, f)
}

// RestoreSnapshot returns a virtual server to a snapshot (vm.php
// restore_snapshot). What was written since the snapshot is lost.
func (s *VMService) RestoreSnapshot(ctx context.Context, id int, name string) (*Operation, error) {
	f, err := snapshotForm(id, name, true)
	if err != nil {
		return nil, err
	}
	return start(ctx, s.client, &vmRestoreSnapshot, f)
}

// UpdateRestoreSettings sets automatic restore and how many snapshots
// rotation keeps (vm.php update_restore_settings).
func (s *VMService) UpdateRestoreSettings(ctx context.Context, id int, settings RestoreSettings) (*RestoreSettings, error) {
	f, err := snapshotForm(id, "", false)
	if err != nil {
		return nil, err
	}
	if settings.Rotation < 0 {
		return nil, invalid("rotation", "must not be negative")
	}
	f.Set("auto_restore", boolDigit(settings.AutoRestore))
	if settings.Rotation > 0 {
		f.Set("rotation", itoa(settings.Rotation))
	}
	var out struct {
		Settings RestoreSettings `json:"settings"`
	}
	if err := getInto(ctx, s.client, &vmUpdateRestore, f, &out); err != nil {
		return nil, err
	}
	return &out.Settings, nil
}

// VMEngineRequest is vm.php get_engine, which HOSTKEY's MCP server sends
// with no fields; Extra sends any.
type VMEngineRequest struct {
	Extra Fields `url:"extra,omitempty"`
}

// VMEngine describes the virtualization engine behind the virtual servers.
// Only its name is modelled (no public client reads more); the rest stays
// in Raw.
type VMEngine struct {
	Engine string `json:"engine"` // e.g. "ovirt"; from engine, name or type
	RawJSON
}

// GetEngine returns the virtualization engine (vm.php get_engine). The
// vendor does not publish this action; HOSTKEY's MCP server calls it with
// no fields. req may be nil.
func (s *VMService) GetEngine(ctx context.Context, req *VMEngineRequest) (*VMEngine, error) {
	return getWith(ctx, s.client, &vmGetEngine, optional(req), func(r reply) (*VMEngine, error) {
		var v struct {
			Engine string `json:"engine"`
			Name   string `json:"name"`
			Type   string `json:"type"`
		}
		if err := r.decode(&v); err != nil {
			return nil, err
		}
		out := &VMEngine{Engine: firstNonEmpty(v.Engine, v.Name, v.Type)}
		if out.Engine == "" {
			out.Engine = rawScalar(r.field("data")) // {"result":"OK","data":"ovirt"}
		}
		r.keep(out)
		return out, nil
	})
}

// LoadStats returns a virtual server's resource usage (vm.php load_stats).
func (s *VMService) LoadStats(ctx context.Context, id int) (*VMStats, error) {
	f, err := snapshotForm(id, "", false)
	if err != nil {
		return nil, err
	}
	var out struct {
		Stats VMStats `json:"stats"`
	}
	if err := getInto(ctx, s.client, &vmLoadStats, f, &out); err != nil {
		return nil, err
	}
	return &out.Stats, nil
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
