package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) invoiceCmd() *cobra.Command {
	var status, location string
	list := leaf("list", "List your invoices", "whmcs.php get_invoices", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Invoice, error) {
			return c.WHMCS.GetInvoices(ctx, &invapi.GetInvoicesRequest{Status: status, Location: location})
		}, a.showInvoices)
	})
	list.Flags().StringVar(&status, "status", "", "only Paid, Unpaid, Cancelled...")
	list.Flags().StringVar(&location, "location", "", "billing location")
	show := leaf("show ID", "Show an invoice with its lines", "whmcs.php get_invoice", cobra.ExactArgs(1), numArgs("invoice id", func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.InvoiceDetails, error) {
			return c.WHMCS.GetInvoice(ctx, &invapi.InvoiceRequest{InvoiceID: id})
		}, func(inv *invapi.InvoiceDetails) error {
			var lines []string
			for _, it := range inv.Items {
				lines = append(lines, it.Description+" "+it.Amount.String())
			}
			return a.show(inv, []string{itoa(inv.ID)}, fields("id", inv.ID, "status", inv.Status, "date", inv.Date,
				"due", inv.DueDate, "total", inv.Total.String()+" "+inv.CurrencyCode, "balance due", inv.Balance, "lines", strings.Join(lines, "; ")))
		})
	}))
	var amount string
	pay := leaf("pay ID", "Pay an invoice from the credit balance (asks first)", "whmcs.php get_invoice, whmcs.php apply_credit", cobra.ExactArgs(1), numArgs("invoice id", func(id int, args []string) error {
		if a.dryRun && amount == "" {
			return usagef("--dry-run needs --amount (reading the invoice's balance would send a request)")
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			var m invapi.Money
			if amount != "" {
				var err error
				if m, err = invapi.ParseMoney(amount); err != nil {
					return usagef("--amount: %v", err)
				}
			} else {
				inv, err := c.WHMCS.GetInvoice(ctx, &invapi.InvoiceRequest{InvoiceID: id})
				if err != nil {
					return err
				}
				m = inv.Balance
				if m.IsZero() {
					m = inv.Total
				}
				if inv.Status == "Paid" {
					return fmt.Errorf("invoice %d is already paid", id)
				}
			}
			if err := a.confirm(fmt.Sprintf("pay invoice %d with %s of credit", id, m)); err != nil {
				return err
			}
			res, err := c.WHMCS.ApplyCredit(ctx, &invapi.ApplyCreditRequest{InvoiceID: id, Amount: m})
			if err != nil {
				return err
			}
			return a.show(res, []string{itoa(id)}, fields("invoice", id, "paid from credit", res.Amount))
		})
	}))
	pay.Flags().StringVar(&amount, "amount", "", "amount of credit to apply (default: the invoice's balance)")
	massPay := leaf("mass-pay ID...", "Pay several invoices with one transaction (asks first)", "whmcs.php mass_pay", cobra.MinimumNArgs(1), func(cmd *cobra.Command, args []string) error {
		var ids []int
		for _, s := range args {
			id, err := positiveInt("invoice id", s)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := a.confirm(fmt.Sprintf("pay invoices %s together", strings.Join(args, ", "))); err != nil {
			return err
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.MassPayment, error) {
			return c.WHMCS.MassPay(ctx, &invapi.MassPayRequest{InvoiceIDs: ids})
		}, func(res *invapi.MassPayment) error {
			return a.show(res, []string{itoa(res.InvoiceID)}, fields("invoice", res.InvoiceID))
		})
	})
	var out string
	download := leaf("download ID", "Save an invoice as PDF", "whmcs.php download_invoice", cobra.ExactArgs(1), numArgs("invoice id", func(id int, args []string) error {
		if out == "" {
			out = fmt.Sprintf("invoice-%d.pdf", id)
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.File, error) {
			return c.WHMCS.DownloadInvoice(ctx, &invapi.InvoiceRequest{InvoiceID: id})
		}, func(f *invapi.File) error {
			if err := os.WriteFile(out, f.Data, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "saved %s (%d bytes)\n", out, len(f.Data))
			return nil
		})
	}))
	download.Flags().StringVar(&out, "out", "", "file (default invoice-ID.pdf)")
	gateway := leaf("payment-form ID", "Show how to pay an invoice through a payment gateway (HTML form)", "whmcs.php getpaymentgw", cobra.ExactArgs(1), numArgs("invoice id", func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.PaymentForm, error) {
			return c.WHMCS.GetPaymentGW(ctx, id)
		}, func(f *invapi.PaymentForm) error {
			return a.show(f, nil, &table{rows: [][]string{{f.Call}}})
		})
	}))
	related := leaf("server ID", "List the invoices of one server", "whmcs.php get_related_invoices", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Invoice, error) {
			return c.WHMCS.GetRelatedInvoices(ctx, &invapi.ServerBillingRequest{ID: id})
		}, a.showInvoices)
	}))
	next := leaf("generate ID", "Create a server's next invoice ahead of time", "whmcs.php generate_due_invoice", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.GeneratedInvoice, error) {
			return c.WHMCS.GenerateDueInvoice(ctx, &invapi.ServerBillingRequest{ID: id})
		}, func(g *invapi.GeneratedInvoice) error {
			return a.show(g, []string{itoa(g.InvoiceID)}, fields("invoice", g.InvoiceID))
		})
	}))
	tx := leaf("transactions", "List your payments", "whmcs.php transactions", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Transaction, error) {
			return c.WHMCS.Transactions(ctx, nil)
		}, func(ts []invapi.Transaction) error {
			return showRows(a, ts, []string{"ID", "DATE", "INVOICE", "AMOUNT IN", "GATEWAY", "DESCRIPTION"}, func(t *table, x invapi.Transaction) {
				t.addID(itoa(x.ID), x.ID, x.Date, x.InvoiceID, x.AmountIn, x.Gateway, x.Description)
			})
		})
	})
	return group("invoice", "Invoices and payments", list, show, pay, massPay, download, gateway, related, next, tx)
}

func (a *app) showInvoices(invs []invapi.Invoice) error {
	return showRows(a, orEmpty(invs), []string{"ID", "DATE", "DUE", "STATUS", "TOTAL"}, func(t *table, inv invapi.Invoice) {
		t.addID(itoa(inv.ID), inv.ID, inv.Date, inv.DueDate, inv.Status, strings.TrimSpace(inv.Total.String()+" "+inv.CurrencyCode))
	})
}

func (a *app) balanceCmd() *cobra.Command {
	show := func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.BillingClient, error) {
			return c.WHMCS.GetClient(ctx)
		}, func(cl *invapi.BillingClient) error {
			out := struct {
				Credit   invapi.Money `json:"credit"`
				Currency string       `json:"currency"`
			}{cl.Credit, cl.CurrencyCode}
			return a.show(out, []string{cl.Credit.String()}, fields("credit", strings.TrimSpace(cl.Credit.String()+" "+cl.CurrencyCode)))
		})
	}
	c := leaf("balance", "Show the account's credit balance", "whmcs.php get_client", cobra.NoArgs, show)
	add := leaf("add AMOUNT", "Create an invoice that tops up the credit (pay it with the gateway form)", "whmcs.php create_addfunds", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		m, err := invapi.ParseMoney(args[0])
		if err != nil {
			return usagef("amount: %v", err)
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.AddFundsInvoice, error) {
			return c.WHMCS.CreateAddFunds(ctx, &invapi.CreateAddFundsRequest{Amount: m})
		}, func(inv *invapi.AddFundsInvoice) error {
			fmt.Fprintf(a.stderr, "pay it with: hostkey invoice payment-form %d\n", inv.InvoiceID)
			return a.show(inv, []string{itoa(inv.InvoiceID)}, fields("invoice", inv.InvoiceID, "amount", m))
		})
	})
	history := leaf("history", "Show the movements of the credit balance", "whmcs.php getcredits", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Credits, error) {
			return c.WHMCS.GetCredits(ctx, nil)
		}, func(cr *invapi.Credits) error {
			t := &table{header: []string{"DATE", "AMOUNT", "DESCRIPTION"}}
			for _, e := range cr.Entries {
				t.add(e.Date, e.Amount, e.Description)
			}
			return a.show(cr, nil, t)
		})
	})
	c.AddCommand(add, history)
	return c
}

// serverCancelCmd and serverBillingCmd are billing actions about a server.
func (a *app) serverCancelCmd() *cobra.Command {
	var reason string
	var undo, subscription, immediate bool
	c := leaf("cancel ID", "Cancel a server's order or subscription (asks first); --undo withdraws the request",
		"whmcs.php request_cancellation, whmcs.php delete_cancellation_request, whmcs.php request_subscription_cancellation, whmcs.php get_cancellation_requests",
		cobra.ExactArgs(1), idArg(func(id int) error {
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				var res *invapi.BillingAnswer
				var err error
				switch {
				case undo:
					res, err = c.WHMCS.DeleteCancellationRequest(ctx, &invapi.ServerBillingRequest{ID: id})
				case subscription:
					if err := a.confirm(fmt.Sprintf("cancel the bank subscription of server %d", id)); err != nil {
						return err
					}
					res, err = c.WHMCS.RequestSubscriptionCancellation(ctx, &invapi.ServerBillingRequest{ID: id})
				default:
					typ := invapi.CancelEndOfBillingPeriod
					if immediate {
						typ = invapi.CancelImmediate
					}
					if err := a.confirm(fmt.Sprintf("cancel server %d (%s)", id, typ)); err != nil {
						return err
					}
					res, err = c.WHMCS.RequestCancellation(ctx, &invapi.RequestCancellationRequest{ID: id, Type: typ, Reason: reason})
				}
				if err != nil {
					return err
				}
				return a.show(res, []string{itoa(id)}, fields("server", id, "answer", firstOf(res.Message, "OK")))
			})
		}))
	f := c.Flags()
	f.BoolVar(&immediate, "immediate", false, "cancel now, not at the end of the billing period")
	f.StringVar(&reason, "reason", "", "why")
	f.BoolVar(&undo, "undo", false, "withdraw a pending cancellation")
	f.BoolVar(&subscription, "subscription", false, "cancel the bank subscription only")
	return c
}

func (a *app) serverCancellationsCmd() *cobra.Command {
	return leaf("cancellations", "List pending cancellation requests", "whmcs.php get_cancellation_requests", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.CancellationRequest, error) {
			return c.WHMCS.GetCancellationRequests(ctx, nil)
		}, func(rs []invapi.CancellationRequest) error {
			return showRows(a, rs, []string{"ID", "SERVER", "TYPE", "DATE", "STATUS", "REASON"}, func(t *table, r invapi.CancellationRequest) {
				t.addID(itoa(r.ServerID), r.ID, r.ServerID, r.Type, r.Date, r.Status, r.Reason)
			})
		})
	})
}

func (a *app) serverBillingCmd() *cobra.Command {
	return leaf("billing ID", "Show a server's billing record", "whmcs.php get_billing_data", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.BillingData, error) {
			return c.WHMCS.GetBillingData(ctx, id)
		}, func(b *invapi.BillingData) error {
			return a.show(b, []string{itoa(b.ID)}, fields("service", b.ID, "product", b.Product, "status", b.Status,
				"cycle", b.BillingCycle, "next due", b.NextDueDate, "recurring", strings.TrimSpace(b.RecurringAmount.String()+" "+b.CurrencyCode),
				"cancellation", b.CancellationType))
		})
	}))
}
