package standin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/invapi-go/invapi"
)

// TestSDKReadsAgainstStandin decodes, through the SDK, the answer shapes the
// stand-in gives in plain and quirks modes, including the error shapes and
// WHMCS's "success": each check names the evidence row it rests on.
func TestSDKReadsAgainstStandin(t *testing.T) {
	t.Parallel()
	for _, m := range []mode{plain, quirks} {
		t.Run(string(m), func(t *testing.T) {
			st := newStandin(m)
			defer st.Close()
			c, err := sdkClient(st)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()

			check := func(name string, f func() []string) {
				t.Run(name, func(t *testing.T) {
					probs := f()
					var fields []string
					for _, w := range st.requests() {
						if w.Module+"/"+w.Action == strings.ReplaceAll(name, ".", "/") {
							fields = append(fields, checkFields(w)...)
						}
					}
					judge(t, dedupe(append(probs, fields...)))
				})
			}
			fail := func(format string, a ...any) []string { return []string{fmt.Sprintf(format, a...)} }

			check("auth.info", func() []string {
				info, err := c.Auth.Info(ctx)
				if err != nil {
					return fail("auth/info: %v", err)
				}
				if !slices.Equal(info.Servers, []int{serverA, serverB}) || info.CustomerID != 777 {
					return fail("auth/info: servers %v customer %d, want [%d %d] and 777 (001 Auth/Info; quirks: under result)",
						info.Servers, info.CustomerID, serverA, serverB)
				}
				return nil
			})
			check("eq.show", func() []string {
				s, err := c.Eq.Show(ctx, serverA)
				if err != nil {
					return fail("eq/show: %v", err)
				}
				if s.MainIP() != "203.0.113.11" {
					return fail(`output lacks "main IP  203.0.113.11": eq/show MainIP() = %q`, s.MainIP())
				}
				return nil
			})
			check("eq.update_servers", func() []string {
				us, err := c.Eq.UpdateServers(ctx)
				if err != nil {
					return fail("eq/update_servers with deploy_keys [] (tf types.go): %v", err)
				}
				if !slices.Equal(us.Servers, []int{serverA, serverB}) {
					return fail("eq/update_servers: servers %v", us.Servers)
				}
				return nil
			})
			check("os.list", func() []string {
				l, err := c.OS.List(ctx, &invapi.OSListRequest{ID: serverA})
				if err != nil {
					return fail("os/list: %v", err)
				}
				if len(l.OS) != 2 || l.OS[0].ID != 3 {
					return fail("no OS offered for server: os/list read %d OS (os_list has 2)", len(l.OS))
				}
				return nil
			})
			check("traffic_plans.list", func() []string {
				p, err := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: "NL", InstanceID: 101})
				if err != nil {
					return fail("traffic_plans/list: %v", err)
				}
				if len(p) == 0 || p[0].ID != 11 {
					return fail("traffic_plans/list: %d plans (quirks: one bare object), want plan 11 first", len(p))
				}
				return nil
			})
			check("whmcs.get_client", func() []string {
				cl, err := c.WHMCS.GetClient(ctx)
				if err != nil {
					return fail(`whmcs/get_client {"result":"success","client":{...}}: %v`, err)
				}
				if cl.ID != 777 || cl.Email != "standin@example.com" {
					return fail("whmcs/get_client: id %d email %q", cl.ID, cl.Email)
				}
				return nil
			})
			check("whmcs.get_invoices", func() []string {
				inv, err := c.WHMCS.GetInvoices(ctx, nil)
				if err != nil {
					return fail("whmcs/get_invoices: %v", err)
				}
				if len(inv) != 1 || inv[0].ID != invoice || inv[0].Status != "Unpaid" {
					return fail("whmcs/get_invoices: %d invoices (quirks: invoices.invoice one bare object), want %d Unpaid", len(inv), invoice)
				}
				return nil
			})
			check("whmcs.get_invoice", func() []string {
				inv, err := c.WHMCS.GetInvoice(ctx, &invapi.InvoiceRequest{InvoiceID: invoice})
				if err != nil {
					return fail("whmcs/get_invoice: %v", err)
				}
				if inv.Status != "Unpaid" || inv.Total.String() != "4.00" || len(inv.Items) != 1 || inv.Items[0].InvID != newSrv {
					return fail("whmcs/get_invoice: status %q total %s items %v, want Unpaid 4.00 and one line with inv_id %d (whmcs getServerIdByInvoiceId)",
						inv.Status, inv.Total, inv.Items, newSrv)
				}
				return nil
			})
			check("errors", func() []string {
				var probs []string
				// {"code":-1,"message":"Nothing found for id"} (004 eq/show).
				_, err := c.Eq.Show(ctx, 99999)
				var ae *invapi.APIError
				if !errors.As(err, &ae) || !strings.Contains(ae.Message, "Nothing found") || ae.Code != "-1" {
					probs = append(probs, fmt.Sprintf(`eq/show {"code":-1,"message":"Nothing found for id"}: got %v, want an *APIError with code -1 and the message`, err))
				}
				// {"result":-1,"error":...} (mcp).
				err = c.Tags.Remove(ctx, &invapi.TagRemoveRequest{ID: serverA, Tag: "no-such-tag"})
				if !errors.As(err, &ae) || !strings.Contains(ae.Message, "no tag no-such-tag") {
					probs = append(probs, fmt.Sprintf(`tags/remove {"result":-1,"error":...}: got %v, want an *APIError with the message`, err))
				}
				return probs
			})
		})
	}
}
