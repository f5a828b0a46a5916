package invapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqBackupList(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "backup_list", `{"result":"OK","backups":[{"id":77,"name":"backup-12345-1","date":"2024-05-01 03:00:00","size":"12.4 GB","status":"ready","type":"full"}]}`)
	got, err := c.Eq.BackupList(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("backup_list", "id", "12345"), m.lastForm("eq", "backup_list"))
	require.Len(t, got, 1)
	assert.Equal(t, "77", got[0].ID)
	assert.Equal(t, "backup-12345-1", got[0].Name)
	assert.Equal(t, "2024-05-01 03:00:00", got[0].Date)
	assert.Equal(t, "12.4 GB", got[0].Size)
	assert.Equal(t, "ready", got[0].Status)
	assert.Equal(t, "full", got[0].Fields["type"])

	m.on("eq", "backup_list", `{"result":"OK","backups":[]}`)
	got, err = c.Eq.BackupList(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestEqBackupGetSchedule(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "backup_get_schedule", `{"result":"OK","schedule":{"enabled":1,"period":"daily","time":"03:00","keep":"3"}}`)
	got, err := c.Eq.BackupGetSchedule(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("backup_get_schedule", "id", "12345"), m.lastForm("eq", "backup_get_schedule"))
	assert.Equal(t, map[string]string{"enabled": "1", "period": "daily", "time": "03:00", "keep": "3"}, got.Fields)
	assert.Contains(t, string(got.Raw()), `"schedule"`)

	m.on("eq", "backup_get_schedule", `{"result":"OK","period":"weekly"}`)
	got, err = c.Eq.BackupGetSchedule(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"period": "weekly"}, got.Fields, "a schedule at top level")
}

func TestEqCheckBackupLock(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "check_backup_lock", `{"result":"OK","locked":"1"}`)
	got, err := c.Eq.CheckBackupLock(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("check_backup_lock", "id", "12345"), m.lastForm("eq", "check_backup_lock"))
	assert.True(t, got.Locked)
	m.on("eq", "check_backup_lock", `{"result":"OK","locked":0}`)
	got, err = c.Eq.CheckBackupLock(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.False(t, got.Locked)
}

func TestEqBackupActions(t *testing.T) {
	t.Parallel()
	for action, call := range map[string]func(c *Client, r *BackupActionRequest) (*Operation, error){
		"delete_backup": func(c *Client, r *BackupActionRequest) (*Operation, error) {
			return c.Eq.DeleteBackup(context.Background(), r)
		},
		"restore_backup": func(c *Client, r *BackupActionRequest) (*Operation, error) {
			return c.Eq.RestoreBackup(context.Background(), r)
		},
	} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.on("eq", action, `{"result":"OK","action":"`+action+`","callback":"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}`)
			op, err := call(c, &BackupActionRequest{ID: 12345, BackupID: "77"})
			require.NoError(t, err)
			assert.Equal(t, eqForm(action, "id", "12345", "backup_id", "77"), m.lastForm("eq", action))
			assert.Equal(t, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", op.Key())
			_, err = call(c, &BackupActionRequest{ID: 12345})
			assertEqInvalid(t, m, action+"-none", "backup_id", err)
			assert.Equal(t, 1, m.count("eq", action))
		})
	}
}

func TestEqRequestBackupLink(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "request_backup_link", `{"result":"OK","url":"https://backup.hostkey.com/download/abc","expires":1735689600}`)
	got, err := c.Eq.RequestBackupLink(context.Background(), &BackupActionRequest{ID: 12345, BackupID: "77"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("request_backup_link", "id", "12345", "backup_id", "77"), m.lastForm("eq", "request_backup_link"))
	assert.Equal(t, "https://backup.hostkey.com/download/abc", got.URL)
	assert.Equal(t, "1735689600", got.Expires)
	assert.Nil(t, got.Operation)
}
