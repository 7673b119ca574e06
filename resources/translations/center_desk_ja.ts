<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>ActionDialog</name>
    <message>
        <source>%1 (Enter)</source>
        <extracomment>The draft&apos;s name for this dialog (reopeners.py maps it back to the class).</extracomment>
        <translation>%1 (Enter)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>Close without changing anything (Esc)</source>
        <translation>変更せずに閉じる (Esc)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>(nothing was waiting)</source>
        <extracomment>The common counter-PC screen (issue 5): the window is laid out for it.</extracomment>
        <translation>（未送信の変更はありませんでした）</translation>
    </message>
    <message>
        <source>(what was waiting could not be determined)</source>
        <translation>（未送信だった変更を特定できませんでした）</translation>
    </message>
    <message>
        <source>Local data rebuilt</source>
        <translation>端末データの再構築</translation>
    </message>
    <message>
        <source>The desk started with fresh local data. These changes could not be read from the old data and must be entered again:</source>
        <translation>端末データを新しく作り直して開始しました。次の変更は古いデータから読み取れなかったため、もう一度入力してください：</translation>
    </message>
    <message>
        <source>Demo: staff ID “%1”, password “%2”. The demo keeps its local data under a temporary key and forgets it when closed.</source>
        <translation>デモ：職員ID「%1」、パスワード「%2」。デモのデータは一時的な鍵で保存し、終了時に消去します。</translation>
    </message>
    <message>
        <source>The desk cannot start</source>
        <translation>窓口端末を起動できません</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Changes made at this desk that the reservation system refused. Deal with each one (for example, phone the group), then mark it done.</source>
        <translation>この端末で行った変更のうち、予約システムで受理されなかったものです。1件ずつ対応し（団体への電話連絡など）、対応済みにしてください。</translation>
    </message>
    <message>
        <source>Nothing needs attention.</source>
        <translation>要対応の項目はありません。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Why it was refused</source>
        <translation>不受理の理由</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>対応方法</translation>
    </message>
    <message>
        <source>Show the group</source>
        <translation>団体を表示</translation>
    </message>
    <message>
        <source>Open the group&apos;s details to contact them (Ctrl+G)</source>
        <translation>連絡先を確認するため団体の詳細を開く (Ctrl+G)</translation>
    </message>
    <message>
        <source>Mark as dealt with</source>
        <translation>対応済みにする</translation>
    </message>
    <message>
        <source>Staff have dealt with the selected change (Ctrl+Shift+D)</source>
        <translation>選択した変更を対応済みにする (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Walk-in booking</source>
        <translation>直前予約</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>受付</translation>
    </message>
    <message>
        <source>Usage report</source>
        <translation>利用報告</translation>
    </message>
    <message>
        <source>Fee received</source>
        <translation>使用料受領</translation>
    </message>
    <message>
        <source>Cancellation</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>不参加</translation>
    </message>
    <message>
        <source>Group %1</source>
        <translation>団体（利用者ID %1）</translation>
    </message>
    <message>
        <source>by staff %1</source>
        <translation>担当職員 %1</translation>
    </message>
    <message>
        <source>Has this been dealt with? It leaves the list.</source>
        <translation>対応済みにしますか？&#x3000;一覧から消えます。</translation>
    </message>
    <message>
        <source>Marked as dealt with.</source>
        <translation>対応済みにしました。</translation>
    </message>
</context>
<context>
    <name>Availability</name>
    <message>
        <source>Free</source>
        <translation>空き</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>予約済み</translation>
    </message>
    <message>
        <source>Lottery</source>
        <translation>抽選</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>休館</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Not open</source>
        <translation>受付外</translation>
    </message>
    <message>
        <source>○</source>
        <translation>○</translation>
    </message>
    <message>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <source>L</source>
        <translation>抽</translation>
    </message>
    <message>
        <source>W</source>
        <translation>未</translation>
    </message>
    <message>
        <source>C</source>
        <translation>休</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>Booking has not opened for this day yet.</source>
        <translation>この日の予約受付はまだ始まっていません。</translation>
    </message>
    <message>
        <source>Lottery applications are being taken for this day.</source>
        <translation>この日は抽選の申込を受付中です。</translation>
    </message>
    <message>
        <source>First-come booking has not opened for this day yet.</source>
        <translation>この日の先着予約はまだ始まっていません。</translation>
    </message>
    <message>
        <source>In the last seven days only walk-in bookings at the counter.</source>
        <translation>利用日の7日前からは窓口での直前予約のみです。</translation>
    </message>
    <message>
        <source>This day has passed.</source>
        <translation>この日は過ぎています。</translation>
    </message>
    <message>
        <source>This room is not let in this slot.</source>
        <translation>この部屋はこのコマには貸し出していません。</translation>
    </message>
    <message>
        <source>Booked at this desk; waiting to be sent to the reservation system.</source>
        <translation>この端末で予約済みです。予約システムへの送信を待っています。</translation>
    </message>
    <message>
        <source>Closed: %1</source>
        <translation>休館（%1）</translation>
    </message>
    <message>
        <source>This slot is over.</source>
        <translation>このコマは終了しました。</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>部屋</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>コマ</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>Up to %1</source>
        <translation>定員%1人</translation>
    </message>
    <message>
        <source>Individuals OK</source>
        <translation>個人利用可</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>曜日</translation>
    </message>
</context>
<context>
    <name>AvailabilityView</name>
    <message>
        <source>Double-click a free cell, or select it and press Enter, to book a walk-in.</source>
        <extracomment>A free cell of the month view was chosen: (room id, date, slot id).</extracomment>
        <translation>空き枠をダブルクリックするか、選択してEnterを押すと直前予約ができます。</translation>
    </message>
    <message>
        <source>Next 8 days (walk-in)</source>
        <translation>本日から8日間（直前予約）</translation>
    </message>
    <message>
        <source>◀</source>
        <translation>◀</translation>
    </message>
    <message>
        <source>Previous month (Alt+Page Up)</source>
        <translation>前の月 (Alt+Page Up)</translation>
    </message>
    <message>
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <source>Next month (Alt+Page Down)</source>
        <translation>次の月 (Alt+Page Down)</translation>
    </message>
    <message>
        <source>Choose a free cell (○) and press Enter for a first-come booking.</source>
        <translation>空き枠（○）を選んでEnterを押すと先着予約ができます。</translation>
    </message>
    <message>
        <source>Month (first-come)</source>
        <translation>月表示（先着予約）</translation>
    </message>
    <message>
        <source>Closed days: %1</source>
        <translation>休館日：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>That cell is not free: %1.</source>
        <translation>この枠は予約できません（%1）。</translation>
    </message>
</context>
<context>
    <name>Booking</name>
    <message>
        <source>City subsidy</source>
        <translation>市の補助金</translation>
    </message>
    <message>
        <source>School PTA</source>
        <translation>市立学校PTA</translation>
    </message>
    <message>
        <source>Social welfare council</source>
        <translation>社会福祉協議会</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>取消済み</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>不参加</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>利用済み</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>受付済み</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>予約済み</translation>
    </message>
    <message>
        <source>Exempt (%1)</source>
        <translation>免除（%1）</translation>
    </message>
    <message>
        <source>No charge</source>
        <translation>無料</translation>
    </message>
    <message>
        <source>%1 paid</source>
        <translation>%1 納付済み</translation>
    </message>
    <message>
        <source>%1 not paid</source>
        <translation>%1 未納</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>未送信</translation>
    </message>
    <message>
        <source>Refused: see Needs attention</source>
        <translation>不受理（要対応を参照）</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>同期済み</translation>
    </message>
    <message>
        <source>Regular closing day</source>
        <translation>定期休館日</translation>
    </message>
    <message>
        <source>Year-end holidays</source>
        <translation>年末年始</translation>
    </message>
    <message>
        <source>Temporary closure</source>
        <translation>臨時休館日</translation>
    </message>
    <message>
        <source>Individual use</source>
        <translation>個人利用</translation>
    </message>
    <message>
        <source>Usage report</source>
        <translation>利用報告書</translation>
    </message>
    <message>
        <source>Record the report</source>
        <translation>報告を登録</translation>
    </message>
    <message>
        <source>Fee received</source>
        <translation>使用料の受領</translation>
    </message>
    <message>
        <source>Record the fee</source>
        <translation>受領を登録</translation>
    </message>
    <message>
        <source>Cancel a booking</source>
        <translation>予約の取消</translation>
    </message>
    <message>
        <source>Cancel the booking</source>
        <translation>予約を取り消す</translation>
    </message>
    <message>
        <source>Mark as no-show</source>
        <translation>不参加として登録</translation>
    </message>
</context>
<context>
    <name>BookingDetailsDialog</name>
    <message>
        <source>Booking %1</source>
        <translation>予約 %1</translation>
    </message>
    <message>
        <source>Approval number</source>
        <translation>承認番号</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>利用日時</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>部屋</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>Representative</source>
        <translation>代表者</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>Person responsible</source>
        <translation>利用責任者</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>個人</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>利用目的</translation>
    </message>
    <message>
        <source>%1 expected, %2 came</source>
        <translation>予定 %1人、実績 %2人</translation>
    </message>
    <message>
        <source>Headcount</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>(nominal %1)</source>
        <translation>（規定額 %1）</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>使用料</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>備考</translation>
    </message>
    <message>
        <source>Reason for cancelling</source>
        <translation>取消理由</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同期</translation>
    </message>
    <message>
        <source>Print both slips</source>
        <translation>申請書・承認書を印刷</translation>
    </message>
    <message>
        <source>Print both slips (Ctrl+P)</source>
        <translation>利用申請書と利用承認書を印刷 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>プレビュー…</translation>
    </message>
    <message>
        <source>Preview both slips (Ctrl+Shift+P)</source>
        <translation>利用申請書と利用承認書をプレビュー (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>閉じる (Esc)</translation>
    </message>
    <message>
        <source>Not held at this desk.</source>
        <translation>この端末には登録内容がありません。</translation>
    </message>
</context>
<context>
    <name>CacheRecoveryDialog</name>
    <message>
        <source>The desk&apos;s local data cannot be opened</source>
        <translation>端末内のデータを開けません</translation>
    </message>
    <message>
        <source>The key of the local data is missing from this PC&apos;s keyring.</source>
        <translation>端末データの鍵がこのPCのキーリングにありません。</translation>
    </message>
    <message>
        <source>The local data file is damaged or does not match its key.</source>
        <translation>端末データのファイルが壊れているか、鍵と一致しません。</translation>
    </message>
    <message>
        <source>Nothing has been deleted.</source>
        <translation>何も削除していません。</translation>
    </message>
    <message>
        <source>Not yet sent to the reservation system: %1 change(s), %2 audit event(s).</source>
        <translation>予約システムへ未送信：変更 %1 件、監査記録 %2 件。</translation>
    </message>
    <message>
        <source>What had not been sent yet could not be determined.</source>
        <translation>未送信の内容を確認できませんでした。</translation>
    </message>
    <message>
        <source>Ask the office&apos;s IT first: if they restore the key, choose Try again and nothing is lost. Otherwise start with fresh local data: it is downloaded again from the reservation system, and the old file is kept for IT for %1 days.</source>
        <translation>まず担当課の情報システム担当に連絡してください。鍵が復元されたら「再試行」を選べば何も失われません。復元できない場合は端末データを新しく作り直してください。データは予約システムから取り直し、古いファイルは情報システム担当のために %1 日間保管します。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再試行</translation>
    </message>
    <message>
        <source>Start with fresh local data</source>
        <translation>端末データを新しく作り直す</translation>
    </message>
    <message>
        <source>Close the desk</source>
        <translation>端末を終了</translation>
    </message>
    <message>
        <source>None of them can be read, so none can be sent from here.</source>
        <translation>いずれも読み取れないため、送信できません。</translation>
    </message>
    <message>
        <source>All of them can still be read and will be sent first.</source>
        <translation>すべて読み取れるため、先に送信します。</translation>
    </message>
    <message>
        <source>%1 of them can still be read and will be sent first.</source>
        <translation>うち %1 件は読み取れるため、先に送信します。</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>As the group gave it</source>
        <translation>団体からの申し出のとおりに入力</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>取消理由</translation>
    </message>
    <message>
        <source>The fee was paid; paid fees are not refunded.</source>
        <translation>使用料は納付済みです。納付された使用料は還付しません。</translation>
    </message>
    <message>
        <source>Type the reason the group gave.</source>
        <translation>団体から申し出のあった理由を入力してください。</translation>
    </message>
</context>
<context>
    <name>DeregisterDialog</name>
    <message>
        <source>De-register a group</source>
        <translation>団体の登録廃止</translation>
    </message>
    <message>
        <source>De-register %1 (user ID %2)? The group can no longer book or sign in online. Its bookings stay as they are.</source>
        <translation>%1（利用者ID %2）の登録を廃止しますか？&#x3000;この団体は予約やオンラインでのログインができなくなります。既存の予約はそのまま残ります。</translation>
    </message>
    <message>
        <source>e.g. the group has disbanded</source>
        <translation>例：団体解散のため</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>廃止理由</translation>
    </message>
    <message>
        <source>De-register</source>
        <translation>登録廃止</translation>
    </message>
</context>
<context>
    <name>EndOfDay</name>
    <message>
        <source>Switch off the PC.</source>
        <translation>パソコンの電源を切る</translation>
    </message>
    <message>
        <source>Put the PC in the lockable cabinet and lock it.</source>
        <translation>パソコンを保管庫に入れて施錠する</translation>
    </message>
    <message>
        <source>Put printed forms that name people in the locked drawer.</source>
        <translation>個人名が記載された印刷物を施錠できる引き出しにしまう</translation>
    </message>
    <message>
        <source>Keep the cabinet key as the office directs.</source>
        <translation>保管庫の鍵は担当課の指示どおりに管理する</translation>
    </message>
</context>
<context>
    <name>EndOfDayDialog</name>
    <message>
        <source>End of day</source>
        <translation>業務終了</translation>
    </message>
    <message>
        <source>1. Sending waiting changes to the reservation system…</source>
        <translation>1. 未送信の変更を予約システムに送信しています…</translation>
    </message>
    <message>
        <source>2. The day journal will be printed.</source>
        <translation>2. 業務日報を印刷します。</translation>
    </message>
    <message>
        <source>Print the day journal</source>
        <translation>業務日報を印刷</translation>
    </message>
    <message>
        <source>3. Finishing closes the desk&apos;s data, locks this PC&apos;s session and shows the closing checklist.</source>
        <translation>3. 「業務を終了」を押すと、端末のデータを閉じてパソコンをロックし、終業時チェックリストを表示します。</translation>
    </message>
    <message>
        <source>Finish the day</source>
        <translation>業務を終了</translation>
    </message>
    <message>
        <source>1. Everything has reached the reservation system.</source>
        <translation>1. すべての変更が予約システムに届きました。</translation>
    </message>
    <message>
        <source>1. These %1 change(s) have NOT reached the reservation system yet. They stay on this desk and are sent at the next start:</source>
        <translation>1. 次の%1件の変更は、まだ予約システムに届いていません。この端末に残り、次回の起動時に送信されます：</translation>
    </message>
    <message>
        <source>2. No counter printer is set up for this desk; the journal was not printed.</source>
        <translation>2. この端末には窓口プリンターが設定されていないため、業務日報は印刷されませんでした。</translation>
    </message>
    <message>
        <source>2. The day journal has been sent to the printer.</source>
        <translation>2. 業務日報をプリンターに送信しました。</translation>
    </message>
    <message>
        <source>2. The journal could not be printed: %1</source>
        <translation>2. 業務日報を印刷できませんでした：%1</translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <source>Set up this counter desk</source>
        <translation>窓口端末の初期設定</translation>
    </message>
    <message>
        <source>Enter the reservation system&apos;s address and the enrollment code the city issued for this center.</source>
        <translation>予約システムのアドレスと、市がこの地域センター用に発行した端末登録コードを入力してください。</translation>
    </message>
    <message>
        <source>Reservation system address</source>
        <translation>予約システムのアドレス</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>端末登録コード</translation>
    </message>
    <message>
        <source>Name of this desk</source>
        <translation>端末名</translation>
    </message>
    <message>
        <source>CA certificate file (optional)</source>
        <translation>CA証明書ファイル（任意）</translation>
    </message>
</context>
<context>
    <name>FeeDialog</name>
    <message>
        <source>Fee due</source>
        <translation>納付額</translation>
    </message>
    <message>
        <source>Amount received (yen)</source>
        <translation>受領額（円）</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>領収書番号</translation>
    </message>
    <message>
        <source>Paid fees are not refunded.</source>
        <translation>納付された使用料は還付しません。</translation>
    </message>
    <message>
        <source>The amount must be the fee due, %1.</source>
        <translation>受領額は納付額（%1）と同じ金額にしてください。</translation>
    </message>
    <message>
        <source>Type the receipt number.</source>
        <translation>領収書番号を入力してください。</translation>
    </message>
</context>
<context>
    <name>GroupDetails</name>
    <message>
        <source>Group</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活動内容</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>会員数</translation>
    </message>
    <message>
        <source>Representative</source>
        <translation>代表者</translation>
    </message>
    <message>
        <source>Fee exemption</source>
        <translation>使用料免除</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>メール</translation>
    </message>
    <message>
        <source>Person responsible</source>
        <translation>利用責任者</translation>
    </message>
    <message>
        <source>Registered · valid until %1</source>
        <translation>登録中 · 有効期限 %1</translation>
    </message>
    <message>
        <source>De-registered</source>
        <translation>登録廃止</translation>
    </message>
    <message>
        <source>%1 · User ID %2</source>
        <translation>%1 · 利用者ID %2</translation>
    </message>
    <message>
        <source>%1 (in Kodaira %2)</source>
        <translation>%1人（うち市民等 %2人）</translation>
    </message>
    <message>
        <source>Lives, works or studies in Kodaira</source>
        <translation>市内在住・在勤・在学</translation>
    </message>
    <message>
        <source>Not in Kodaira</source>
        <translation>市外</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（なし）</translation>
    </message>
</context>
<context>
    <name>GroupFormChecks</name>
    <message>
        <source>A group with the same name or phone number is already registered:</source>
        <translation>同じ名称または電話番号の団体がすでに登録されています：</translation>
    </message>
    <message>
        <source> (de-registered)</source>
        <translation>（登録廃止）</translation>
    </message>
    <message>
        <source>registered at another center</source>
        <translation>他センター登録団体</translation>
    </message>
    <message>
        <source>representative %1</source>
        <translation>代表者 %1</translation>
    </message>
    <message>
        <source>Check that it is not the same group before registering.</source>
        <translation>同じ団体でないことを確認してから登録してください。</translation>
    </message>
</context>
<context>
    <name>GroupFormDialog</name>
    <message>
        <source>None (pays the fee)</source>
        <translation>なし（使用料を徴収）</translation>
    </message>
    <message>
        <source>City subsidy for the purpose</source>
        <translation>市の補助金の対象事業</translation>
    </message>
    <message>
        <source>City school PTA</source>
        <translation>市立学校のPTA</translation>
    </message>
    <message>
        <source>Social welfare council grant</source>
        <translation>社会福祉協議会の助成団体</translation>
    </message>
    <message>
        <source>Other (write the reason)</source>
        <translation>その他（理由を記入）</translation>
    </message>
    <message>
        <source>Register a group</source>
        <extracomment>The form&apos;s natural size: three columns side by side, every field with room for its note. GroupRegistered (new) or GroupOut (change), after the backend accepted the form. Gets the backend&apos;s answer when it arrives after the form was closed (the lock).</extracomment>
        <translation>団体登録</translation>
    </message>
    <message>
        <source>Change of registration: %1</source>
        <translation>登録内容の変更：%1</translation>
    </message>
    <message>
        <source>Discard what you typed? Press Esc again to discard.</source>
        <translation>入力内容を破棄しますか？&#x3000;もう一度Escを押すと破棄します。</translation>
    </message>
    <message>
        <source>Keep typing</source>
        <translation>入力を続ける</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Close the form (Esc)</source>
        <translation>入力画面を閉じる (Esc)</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登録</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>変更を保存</translation>
    </message>
    <message>
        <source>Check the form and send it (Enter)</source>
        <translation>入力内容を確認して送信 (Enter)</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>確認中…</translation>
    </message>
    <message>
        <source>%1 problem(s): see the red notes.</source>
        <translation>%1件の問題があります。赤字の説明を確認してください。</translation>
    </message>
    <message>
        <source>Check the amber notes; press Enter again to go ahead.</source>
        <translation>黄色の注意を確認してください。このまま進めるにはもう一度Enterを押します。</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>このまま保存</translation>
    </message>
    <message>
        <source>Press Enter again to register anyway.</source>
        <translation>このまま登録する場合は、もう一度Enterを押してください。</translation>
    </message>
    <message>
        <source>Register anyway</source>
        <translation>このまま登録</translation>
    </message>
    <message>
        <source>Sending to the reservation system…</source>
        <translation>予約システムに送信中…</translation>
    </message>
    <message>
        <source>This entry is not accepted.</source>
        <translation>この入力は受け付けられません。</translation>
    </message>
    <message>
        <source>What was typed before the form closed (e.g. the desk locked) is back. Check it and continue.</source>
        <translation>画面が閉じる前（ロック時など）の入力内容を復元しました。確認して入力を続けてください。</translation>
    </message>
</context>
<context>
    <name>GroupFormFields</name>
    <message>
        <source> people</source>
        <translation>人</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>団体名</translation>
    </message>
    <message>
        <source>Furigana</source>
        <translation>フリガナ</translation>
    </message>
    <message>
        <source>Katakana or hiragana</source>
        <translation>カタカナまたはひらがな</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活動内容</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>会員数</translation>
    </message>
    <message>
        <source>In Kodaira</source>
        <translation>うち市民等</translation>
    </message>
    <message>
        <source>Members who live, work or study in Kodaira</source>
        <translation>市内在住・在勤・在学の会員数</translation>
    </message>
    <message>
        <source>Lives, works or studies in Kodaira</source>
        <translation>市内在住・在勤・在学</translation>
    </message>
    <message>
        <source>Representative</source>
        <translation>代表者</translation>
    </message>
    <message>
        <source>Fee exemption</source>
        <translation>使用料免除</translation>
    </message>
    <message>
        <source>Exemption note</source>
        <translation>免除理由</translation>
    </message>
    <message>
        <source>Needed for “Other”</source>
        <translation>「その他」の場合は必須</translation>
    </message>
    <message>
        <source>Person responsible for use</source>
        <translation>利用責任者</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>郵便番号</translation>
    </message>
    <message>
        <source>e.g. 187-0032: fills the address</source>
        <translation>例：187-0032（住所を自動入力）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <source>With the area code</source>
        <translation>市外局番から入力</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>メールアドレス</translation>
    </message>
    <message>
        <source>Optional: lottery results by e-mail</source>
        <translation>任意：抽選結果をメールで通知</translation>
    </message>
    <message>
        <source>Same person is responsible →</source>
        <translation>利用責任者も同じ →</translation>
    </message>
    <message>
        <source>Copy the representative&apos;s details to the person responsible (Ctrl+R)</source>
        <translation>代表者の内容を利用責任者にコピー (Ctrl+R)</translation>
    </message>
</context>
<context>
    <name>GroupSearchBox</name>
    <message>
        <source>User ID, name, furigana or phone</source>
        <extracomment>Wait this long after the last key before searching: one search per pause, not per key.</extracomment>
        <translation>利用者ID・団体名・フリガナ・電話番号</translation>
    </message>
    <message>
        <source>Search groups (Ctrl+F); Down to the list</source>
        <translation>団体を検索 (Ctrl+F)。↓キーで一覧へ移動</translation>
    </message>
    <message>
        <source> (de-registered)</source>
        <translation>（登録廃止）</translation>
    </message>
    <message>
        <source>%1 group(s) at this desk</source>
        <translation>この端末内に%1件</translation>
    </message>
    <message>
        <source>No group at this desk matches.</source>
        <translation>この端末内に該当する団体はありません。</translation>
    </message>
</context>
<context>
    <name>GroupsLookup</name>
    <message>
        <source>representative %1</source>
        <translation>代表者 %1</translation>
    </message>
    <message>
        <source> (another center)</source>
        <translation>（他センター）</translation>
    </message>
    <message>
        <source> (de-registered)</source>
        <translation>（登録廃止）</translation>
    </message>
    <message>
        <source>No group at any center matches.</source>
        <translation>どのセンターにも該当する団体はありません。</translation>
    </message>
    <message>
        <source>Another center&apos;s group is found by a person&apos;s name or phone only with a reason for the look-up: choose one and search again.</source>
        <translation>他センターの団体を個人名や電話番号で探すには照会の理由が必要です。理由を選んでからもう一度検索してください。</translation>
    </message>
    <message>
        <source>Found at the reservation system; this desk keeps it from now on.</source>
        <translation>予約システムで見つかりました。今後はこの端末でも保持します。</translation>
    </message>
</context>
<context>
    <name>GroupsRegistration</name>
    <message>
        <source>The changes were saved.</source>
        <translation>変更を保存しました。</translation>
    </message>
    <message>
        <source>The group was de-registered.</source>
        <translation>団体の登録を廃止しました。</translation>
    </message>
</context>
<context>
    <name>GroupsShowing</name>
    <message>
        <source>Look up %1 at the reservation system</source>
        <extracomment>Bookings shown from this many days back (the cache keeps 30).</extracomment>
        <translation>%1 を予約システムで照会</translation>
    </message>
    <message>
        <source>Search every center for “%1”</source>
        <translation>「%1」を全センターで検索</translation>
    </message>
    <message>
        <source>No bookings at this center</source>
        <translation>この地域センターの予約はありません</translation>
    </message>
    <message>
        <source>Lottery</source>
        <translation>抽選</translation>
    </message>
    <message>
        <source>First-come</source>
        <translation>先着</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>直前</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>予約済み</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>利用済み</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>不参加</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>取消済み</translation>
    </message>
    <message>
        <source> (waiting to sync)</source>
        <translation>（未送信）</translation>
    </message>
    <message>
        <source> (refused)</source>
        <translation>（不受理）</translation>
    </message>
    <message>
        <source>Remaining this month — </source>
        <translation>今月の残り枠 — </translation>
    </message>
    <message>
        <source>Remaining quota: asking the reservation system…</source>
        <translation>残り枠：予約システムに照会中…</translation>
    </message>
</context>
<context>
    <name>GroupsView</name>
    <message>
        <source>%1: lottery entries (all centers) %2 of %3 left, %4 entered · lottery and first-come bookings here %5 of %6 left, %7 booked</source>
        <translation>%1：抽選の申込み（全館）残り%2コマ（上限%3・申込み%4件）・この館の抽選・先着予約 残り%5コマ（上限%6・予約%7件）</translation>
    </message>
    <message>
        <source>Remaining quota: unknown while offline.</source>
        <translation>残り枠：オフラインのため確認できません。</translation>
    </message>
    <message>
        <source>Remaining quota: could not be read (%1).</source>
        <translation>残り枠：取得できませんでした（%1）。</translation>
    </message>
    <message>
        <source>Ask the reservation system for a group this desk does not keep</source>
        <extracomment>The query the backend search list (remoteResults) answers, if it is shown.</extracomment>
        <translation>この端末にない団体を予約システムに照会します</translation>
    </message>
    <message>
        <source>Why look it up? (another center&apos;s group)</source>
        <translation>照会の理由（他センター登録の団体）</translation>
    </message>
    <message>
        <source>Walk-in booking</source>
        <translation>直前予約</translation>
    </message>
    <message>
        <source>Checking the registration</source>
        <translation>登録内容の確認</translation>
    </message>
    <message>
        <source>Lottery or first-come booking for the group</source>
        <translation>抽選・先着の代理申込</translation>
    </message>
    <message>
        <source>Change of registration</source>
        <translation>登録内容の変更</translation>
    </message>
    <message>
        <source>Question from the group</source>
        <translation>団体からの問い合わせ</translation>
    </message>
    <message>
        <source>Search the groups of every center; another center&apos;s group shows its representative and can be found by phone only with a reason</source>
        <translation>全センターの団体を検索します。他センターの団体は、理由を選んだ場合に限り代表者名を表示し、電話番号でも検索できます</translation>
    </message>
    <message>
        <source>Register a new group…</source>
        <translation>新しい団体を登録…</translation>
    </message>
    <message>
        <source>Type in a registration form (Ctrl+N)</source>
        <translation>利用者登録届出書を入力 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Search for a group on the left, or register a new one.
Hiragana works for furigana; phone numbers with or without hyphens.</source>
        <translation>左の欄で団体を検索するか、新しい団体を登録してください。
フリガナはひらがなでも、電話番号はハイフンの有無にかかわらず検索できます。</translation>
    </message>
    <message>
        <source>Bookings at this center</source>
        <translation>この地域センターの予約</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>利用日</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>コマ</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>部屋</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種別</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Approval no.</source>
        <translation>承認番号</translation>
    </message>
    <message>
        <source>Change registration…</source>
        <translation>登録内容の変更…</translation>
    </message>
    <message>
        <source>Open the form with this group&apos;s details (Ctrl+E)</source>
        <translation>この団体の登録内容で届出書を開く (Ctrl+E)</translation>
    </message>
    <message>
        <source>De-register…</source>
        <translation>登録廃止…</translation>
    </message>
    <message>
        <source>Walk-in booking…</source>
        <translation>直前予約…</translation>
    </message>
    <message>
        <source>Book a slot in the next seven days for this group</source>
        <translation>この団体の直前予約（7日以内）を受け付けます</translation>
    </message>
</context>
<context>
    <name>HeatMap</name>
    <message>
        <source>Not let</source>
        <translation>貸出なし</translation>
    </message>
    <message>
        <source>Last year %1</source>
        <translation>前年 %1</translation>
    </message>
</context>
<context>
    <name>LockingWindow</name>
    <message>
        <source>Lock</source>
        <translation>ロック</translation>
    </message>
    <message>
        <source>Lock the desk; what you typed is kept (Ctrl+L)</source>
        <translation>端末をロック（入力中の内容は保存されます）(Ctrl+L)</translation>
    </message>
    <message>
        <source>Input kept when the desk locked: %1. Open it again?</source>
        <translation>ロック時に入力中だった画面があります：%1。もう一度開きますか？</translation>
    </message>
    <message>
        <source>Open again</source>
        <translation>もう一度開く</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>No counter printer is set up for this desk.</source>
        <translation>この端末には窓口プリンターが設定されていません。</translation>
    </message>
    <message>
        <source>The day journal has been sent to the printer.</source>
        <translation>業務日報をプリンターに送りました。</translation>
    </message>
    <message>
        <source>Desk revoked</source>
        <translation>端末の利用停止</translation>
    </message>
    <message>
        <source>Could not complete</source>
        <translation>処理できませんでした</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Community center counter desk</source>
        <translation>地域センター窓口システム</translation>
    </message>
    <message>
        <source>Loading this center&apos;s data: %v of %m</source>
        <extracomment>draft kind -&gt; how to open that dialog again with its draft (see reopeners.py).</extracomment>
        <translation>この地域センターのデータを読み込み中：%v / %m</translation>
    </message>
    <message>
        <source>The desk is locked</source>
        <translation>この端末はロックされています</translation>
    </message>
    <message>
        <source>Sign in to continue. Any staff member may unlock it.</source>
        <translation>続けるにはログインしてください。どの職員でもロックを解除できます。</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>要対応</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>窓口(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>ロック(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>今すぐ同期(&amp;S)</translation>
    </message>
    <message>
        <source>Print the day &amp;journal</source>
        <translation>業務日報を印刷(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;End of day…</source>
        <translation>業務終了(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>空き状況</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>Lottery / first-come</source>
        <translation>抽選・先着</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>利用状況</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>The center is closed on that day.</source>
        <translation>その日は休館日です。</translation>
    </message>
    <message>
        <source>Choose another day.</source>
        <translation>別の日を選んでください。</translation>
    </message>
    <message>
        <source>That is outside the booking period for this date.</source>
        <translation>この利用日の受付期間外です。</translation>
    </message>
    <message>
        <source>Check the booking periods shown for the date.</source>
        <translation>表示されている受付期間を確認してください。</translation>
    </message>
    <message>
        <source>In the last seven days only the counter can book.</source>
        <translation>利用日の7日前からは窓口でのみ予約できます。</translation>
    </message>
    <message>
        <source>Take it as a walk-in booking at the counter.</source>
        <translation>窓口で直前予約として受け付けてください。</translation>
    </message>
    <message>
        <source>The group has used its 2 lottery slots for that month.</source>
        <translation>この団体は、その月の抽選申込の上限（2コマ）に達しています。</translation>
    </message>
    <message>
        <source>Check the group&apos;s entries for the month.</source>
        <translation>その月の団体の抽選申込を確認してください。</translation>
    </message>
    <message>
        <source>The group has used its 4 slots this month at this center.</source>
        <translation>この団体は、今月この地域センターで予約できる上限（4コマ）に達しています。</translation>
    </message>
    <message>
        <source>Lottery wins count too; check the group&apos;s bookings.</source>
        <translation>抽選の当選分も含みます。団体の予約を確認してください。</translation>
    </message>
    <message>
        <source>That slot is already booked.</source>
        <translation>そのコマはすでに予約されています。</translation>
    </message>
    <message>
        <source>Choose another room or slot.</source>
        <translation>別の部屋またはコマを選んでください。</translation>
    </message>
    <message>
        <source>Only registered groups may use this room.</source>
        <translation>この部屋は登録団体のみ利用できます。</translation>
    </message>
    <message>
        <source>Individuals may use the second tatami room or the playroom.</source>
        <translation>個人で利用できるのは第二娯楽室と遊戯室です。</translation>
    </message>
    <message>
        <source>The group does not meet the registration requirements or has been de-registered.</source>
        <translation>この団体は登録要件を満たしていないか、登録が廃止されています。</translation>
    </message>
    <message>
        <source>Check the group&apos;s registration details.</source>
        <translation>団体の登録内容を確認してください。</translation>
    </message>
    <message>
        <source>The group&apos;s registration has expired.</source>
        <translation>この団体の登録は有効期限が切れています。</translation>
    </message>
    <message>
        <source>Renew it with a change of registration form.</source>
        <translation>利用者登録届出書（変更）で更新してください。</translation>
    </message>
    <message>
        <source>That room is not let in that slot.</source>
        <translation>その部屋はそのコマには貸し出していません。</translation>
    </message>
    <message>
        <source>Choose a slot the room offers.</source>
        <translation>その部屋で利用できるコマを選んでください。</translation>
    </message>
    <message>
        <source>The group has already entered the lottery for that slot.</source>
        <translation>この団体はそのコマの抽選にすでに申し込んでいます。</translation>
    </message>
    <message>
        <source>No second entry is needed.</source>
        <translation>再度の申込みは不要です。</translation>
    </message>
    <message>
        <source>That is more people than the room holds.</source>
        <translation>部屋の定員を超えています。</translation>
    </message>
    <message>
        <source>Lower the headcount or choose a larger room.</source>
        <translation>人数を減らすか、定員の多い部屋を選んでください。</translation>
    </message>
    <message>
        <source>That cannot be done for this booking in its present state.</source>
        <translation>この予約は現在の状態ではその操作ができません。</translation>
    </message>
    <message>
        <source>Check the booking&apos;s status (cancelled, used or no-show).</source>
        <translation>予約の状態（取消・利用済み・不参加）を確認してください。</translation>
    </message>
    <message>
        <source>The slot has already begun, so the booking can no longer be cancelled.</source>
        <translation>利用時間が始まっているため、この予約は取り消せません。</translation>
    </message>
    <message>
        <source>Record a usage report, or a no-show once the slot is over.</source>
        <translation>利用報告を入力するか、利用時間の終了後に不参加を記録してください。</translation>
    </message>
    <message>
        <source>The slot is not over yet.</source>
        <translation>まだ利用時間が終わっていません。</translation>
    </message>
    <message>
        <source>The group may still come: mark a no-show after the slot ends.</source>
        <translation>団体がこれから来る可能性があります。不参加は利用時間の終了後に記録してください。</translation>
    </message>
    <message>
        <source>The group has already checked in.</source>
        <translation>この団体はすでに入館受付済みです。</translation>
    </message>
    <message>
        <source>Record a usage report instead of cancelling or a no-show.</source>
        <translation>取消や不参加ではなく、利用報告を入力してください。</translation>
    </message>
    <message>
        <source>Some entries are not valid.</source>
        <translation>入力内容に誤りがあります。</translation>
    </message>
    <message>
        <source>Correct the fields marked in red.</source>
        <translation>赤く表示された項目を修正してください。</translation>
    </message>
    <message>
        <source>This group is registered at another center.</source>
        <translation>この団体は他のセンターで登録されています。</translation>
    </message>
    <message>
        <source>Choose why you look it up, then press the button again.</source>
        <translation>照会の理由を選んでから、もう一度ボタンを押してください。</translation>
    </message>
    <message>
        <source>This desk has looked up many groups of other centers this hour.</source>
        <translation>この端末はこの1時間に他センターの団体を多数照会しました。</translation>
    </message>
    <message>
        <source>Try again later; the office has been told. Ask the office if urgent.</source>
        <translation>しばらくしてから再度お試しください（担当課に通知済み）。急ぎの場合は担当課へ。</translation>
    </message>
    <message>
        <source>The reservation system is very busy at the moment.</source>
        <translation>予約システムが現在たいへん混み合っています。</translation>
    </message>
    <message>
        <source>Nothing was lost: waiting changes are sent again by themselves shortly. Try this again in a moment.</source>
        <translation>データは失われていません。送信待ちの変更はまもなく自動で再送されます。少し待ってからもう一度操作してください。</translation>
    </message>
    <message>
        <source>Too many sign-in attempts for this staff ID or from this desk.</source>
        <translation>この職員IDまたはこの端末からのサインインの試行が多すぎます。</translation>
    </message>
    <message>
        <source>Wait a little, then sign in again.</source>
        <translation>しばらく待ってから、もう一度サインインしてください。</translation>
    </message>
    <message>
        <source>What was sent is too large for the reservation system.</source>
        <translation>送信した内容が大きすぎるため、予約システムが受け付けませんでした。</translation>
    </message>
    <message>
        <source>Shorten the longest entries and try again; nothing was saved.</source>
        <translation>長い入力を短くしてもう一度お試しください（何も保存されていません）。</translation>
    </message>
    <message>
        <source>The reservation system accepts only encrypted (HTTPS) connections.</source>
        <translation>予約システムは暗号化された接続（HTTPS）のみ受け付けます。</translation>
    </message>
    <message>
        <source>Ask the office to set the desk&apos;s server address to https://….</source>
        <translation>端末のサーバーアドレスを https://… に設定するよう事務局に依頼してください。</translation>
    </message>
    <message>
        <source>It could not be found.</source>
        <translation>見つかりませんでした。</translation>
    </message>
    <message>
        <source>Check the number and try again.</source>
        <translation>番号を確認して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The staff ID or password is not correct, or the account is locked for a while.</source>
        <translation>職員IDまたはパスワードが正しくないか、アカウントが一時的にロックされています。</translation>
    </message>
    <message>
        <source>Type them again carefully; ask the office if it persists.</source>
        <translation>もう一度正確に入力してください。解決しない場合は担当課に問い合わせてください。</translation>
    </message>
    <message>
        <source>The reservation system cannot be reached, and you have not signed in online at this desk recently.</source>
        <translation>予約システムに接続できません。また、最近この端末でオンラインのログインをしていないため、オフラインではログインできません。</translation>
    </message>
    <message>
        <source>Sign in when the line is back, or ask a colleague who has.</source>
        <translation>回線の復旧後にログインするか、最近この端末でログインした職員に依頼してください。</translation>
    </message>
    <message>
        <source>This desk has been revoked by the city.</source>
        <translation>この端末は市により利用停止されました。</translation>
    </message>
    <message>
        <source>Its data is erased. Contact the office.</source>
        <translation>端末内のデータは消去されました。担当課に連絡してください。</translation>
    </message>
    <message>
        <source>This desk may not do that.</source>
        <translation>この端末ではその操作はできません。</translation>
    </message>
    <message>
        <source>Ask the office.</source>
        <translation>担当課に問い合わせてください。</translation>
    </message>
    <message>
        <source>That conflicts with a change made elsewhere.</source>
        <translation>別の場所で行われた変更と競合しています。</translation>
    </message>
    <message>
        <source>Refresh and try again.</source>
        <translation>最新の状態に更新してから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The request was refused.</source>
        <translation>予約システムで受理されませんでした。</translation>
    </message>
    <message>
        <source>Try again, or ask the office.</source>
        <translation>もう一度お試しいただくか、担当課に問い合わせてください。</translation>
    </message>
    <message>
        <source>Registering a group</source>
        <translation>団体登録</translation>
    </message>
    <message>
        <source>Changing a group</source>
        <translation>団体の登録内容の変更</translation>
    </message>
    <message>
        <source>Checking for similar groups</source>
        <translation>類似団体の確認</translation>
    </message>
    <message>
        <source>Looking up a group</source>
        <translation>団体の照会</translation>
    </message>
    <message>
        <source>Searching the groups of every center</source>
        <translation>全センターの団体検索</translation>
    </message>
    <message>
        <source>A first-come booking</source>
        <translation>先着予約</translation>
    </message>
    <message>
        <source>A lottery entry</source>
        <translation>抽選申込</translation>
    </message>
    <message>
        <source>Lottery results</source>
        <translation>抽選結果の確認</translation>
    </message>
    <message>
        <source>The group&apos;s remaining quota</source>
        <translation>団体の残り枠の確認</translation>
    </message>
    <message>
        <source>Usage figures</source>
        <translation>利用状況の表示</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1秒</translation>
    </message>
    <message>
        <source>about %1 minutes</source>
        <translation>約%1分</translation>
    </message>
    <message>
        <source>%1 needs the reservation system, which cannot be reached now.</source>
        <translation>%1には予約システムへの接続が必要ですが、現在接続できません。</translation>
    </message>
    <message>
        <source>Walk-in bookings still work. Try this again when the line is back.</source>
        <translation>窓口での直前予約は引き続き行えます。回線の復旧後にもう一度お試しください。</translation>
    </message>
    <message>
        <source>Wait %1, then sign in again.</source>
        <translation>%1待ってから、もう一度サインインしてください。</translation>
    </message>
    <message>
        <source>The reservation system cannot be reached.</source>
        <translation>予約システムに接続できません。</translation>
    </message>
    <message>
        <source>Work continues offline; changes are sent when the line is back.</source>
        <translation>オフラインで業務を続けられます。変更は回線の復旧後に送信されます。</translation>
    </message>
    <message>
        <source>Your session has ended.</source>
        <translation>ログインの有効期限が切れました。</translation>
    </message>
    <message>
        <source>Sign in again.</source>
        <translation>もう一度ログインしてください。</translation>
    </message>
    <message>
        <source>This desk&apos;s software is too old for the reservation system.</source>
        <translation>この端末のソフトウェアが古いため、予約システムを利用できません。</translation>
    </message>
    <message>
        <source>Ask the office to update it.</source>
        <translation>担当課に更新を依頼してください。</translation>
    </message>
    <message>
        <source>This PC has no secure place for the desk&apos;s key.</source>
        <translation>このパソコンには、端末の暗号鍵を安全に保管する場所がありません。</translation>
    </message>
    <message>
        <source>Ask the office: the OS keyring must be installed and unlocked.</source>
        <translation>担当課に問い合わせてください（OSのキーリングの導入とロック解除が必要です）。</translation>
    </message>
    <message>
        <source>This PC&apos;s disk is full: nothing was saved.</source>
        <translation>このPCのディスクがいっぱいです。保存されていません。</translation>
    </message>
    <message>
        <source>Ask the office to free disk space, then do it again.</source>
        <translation>担当課にディスクの空きを作ってもらってから、もう一度行ってください。</translation>
    </message>
    <message>
        <source>The desk&apos;s local data could not be written: nothing was saved.</source>
        <translation>端末データに書き込めませんでした。保存されていません。</translation>
    </message>
    <message>
        <source>Ask the office to check this PC&apos;s disk.</source>
        <translation>担当課にこのPCのディスクの点検を依頼してください。</translation>
    </message>
    <message>
        <source>The desk&apos;s local data could not be used.</source>
        <translation>端末内のデータを利用できませんでした。</translation>
    </message>
    <message>
        <source>Restart the desk; if it persists, ask the office.</source>
        <translation>窓口システムを再起動してください。解決しない場合は担当課に問い合わせてください。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>問題が発生しました。</translation>
    </message>
    <message>
        <source>Try again; if it persists, ask the office.</source>
        <translation>もう一度お試しください。解決しない場合は担当課に問い合わせてください。</translation>
    </message>
</context>
<context>
    <name>NoShowDialog</name>
    <message>
        <source>Nobody came and the slot has ended.</source>
        <translation>来館がないまま、コマの時間が終了しました。</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview: %1</source>
        <translation>プレビュー：%1</translation>
    </message>
    <message>
        <source>Print both slips</source>
        <translation>申請書・承認書を印刷</translation>
    </message>
    <message>
        <source>%1 (Ctrl+P)</source>
        <translation>%1（Ctrl+P）</translation>
    </message>
    <message>
        <source>Print both slips (Ctrl+P)</source>
        <translation>利用申請書と利用承認書を印刷 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>閉じる (Esc)</translation>
    </message>
</context>
<context>
    <name>PrintService</name>
    <message>
        <source>The desk&apos;s printer is not on the allowed list.</source>
        <extracomment>The audit event of every print; a reprint&apos;s subject carries this suffix. How a form reaches paper: CUPS ``lp`` on Linux, Qt printing on Windows.</extracomment>
        <translation>この端末のプリンターは許可リストにありません。</translation>
    </message>
    <message>
        <source>Ask the office to set the counter printer.</source>
        <translation>窓口プリンターの設定を担当課に依頼してください。</translation>
    </message>
    <message>
        <source>That printer makes files, not paper, so the desk does not use it.</source>
        <translation>そのプリンターは紙ではなくファイルに出力するため、使用できません。</translation>
    </message>
    <message>
        <source>The counter printer cannot be reached.</source>
        <translation>窓口プリンターに接続できません。</translation>
    </message>
    <message>
        <source>Check that it is on and connected, then print again.</source>
        <translation>電源と接続を確認してから、もう一度印刷してください。</translation>
    </message>
    <message>
        <source>Printing is not installed on this PC.</source>
        <translation>このパソコンには印刷機能がインストールされていません。</translation>
    </message>
    <message>
        <source>Ask the office.</source>
        <translation>担当課に問い合わせてください。</translation>
    </message>
    <message>
        <source>The printer refused the job.</source>
        <translation>プリンターが印刷を受け付けませんでした。</translation>
    </message>
    <message>
        <source>Check the printer, then print again.</source>
        <translation>プリンターを確認してから、もう一度印刷してください。</translation>
    </message>
    <message>
        <source>The preview could not be shown.</source>
        <translation>プレビューを表示できませんでした。</translation>
    </message>
    <message>
        <source>Print directly, or ask the office.</source>
        <translation>プレビューせずに印刷するか、担当課に問い合わせてください。</translation>
    </message>
</context>
<context>
    <name>ProxyApplying</name>
    <message>
        <source>Applying for: %1 (user ID %2)</source>
        <translation>申込団体：%1（利用者ID %2）</translation>
    </message>
    <message>
        <source>%1 is de-registered: it cannot book or enter the lottery. To book again it must register anew (Groups → Register a new group).</source>
        <translation>%1は登録が廃止されているため、予約も抽選申込みもできません。予約するには改めて団体登録が必要です（団体 → 新しい団体を登録）。</translation>
    </message>
    <message>
        <source>Remaining — </source>
        <translation>残り枠 — </translation>
    </message>
    <message>
        <source>Remaining quota: asking the reservation system…</source>
        <translation>残り枠：予約システムに照会中…</translation>
    </message>
    <message>
        <source>Asking the reservation system…</source>
        <translation>予約システムに照会中…</translation>
    </message>
    <message>
        <source>Entries: %1</source>
        <translation>申込 %1件</translation>
    </message>
    <message>
        <source>No lottery entries.</source>
        <translation>抽選の申込はありません。</translation>
    </message>
    <message>
        <source>%1 (another center)</source>
        <translation>%1（他の地域センター）</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>当選</translation>
    </message>
    <message>
        <source>Not drawn</source>
        <translation>落選</translation>
    </message>
    <message>
        <source>Waiting for the draw (results %1)</source>
        <translation>抽選待ち（結果発表 %1）</translation>
    </message>
    <message>
        <source>%1 (up to %2)</source>
        <translation>%1（定員%2人）</translation>
    </message>
    <message>
        <source>Choose the group first (Ctrl+F).</source>
        <translation>先に団体を選んでください (Ctrl+F)。</translation>
    </message>
    <message>
        <source>Type the use date first (Ctrl+D).</source>
        <translation>先に利用日を入力してください (Ctrl+D)。</translation>
    </message>
    <message>
        <source>Choose the room and the slot.</source>
        <translation>部屋とコマを選んでください。</translation>
    </message>
    <message>
        <source>Sending to the reservation system…</source>
        <translation>予約システムに送信中…</translation>
    </message>
    <message>
        <source>Booked first-come: %1, approval number %2.</source>
        <translation>先着予約しました：%1、承認番号 %2。</translation>
    </message>
    <message>
        <source>Entered in the lottery: %1. Results on %2.</source>
        <translation>抽選に申し込みました：%1。結果発表は%2です。</translation>
    </message>
    <message>
        <source>Offline: lottery entries and first-come bookings need the reservation system. Take the details and enter them when the line is back.</source>
        <translation>オフラインです。抽選申込と先着予約には予約システムへの接続が必要です。申込内容を控えて、回線の復旧後に入力してください。</translation>
    </message>
</context>
<context>
    <name>ProxyDays</name>
    <message>
        <source>Type a date such as 2/15</source>
        <extracomment>The phase in which each window of the view is the open one.</extracomment>
        <translation>2/15 のように日付を入力してください</translation>
    </message>
    <message>
        <source>The center is closed on this day (%1).</source>
        <translation>この日は休館日です（%1）。</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>休館</translation>
    </message>
    <message>
        <source>Apply %1 – %2
Results on %3</source>
        <translation>申込 %1～%2
結果発表 %3</translation>
    </message>
    <message>
        <source>From %1 %2 until %3</source>
        <translation>%1 %2から%3まで</translation>
    </message>
    <message>
        <source>%1 – %2, at this counter</source>
        <translation>%1～%2（この窓口）</translation>
    </message>
    <message>
        <source>Open now</source>
        <translation>受付中</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>受付前</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Now (%1): nothing is open yet; the lottery opens %2.</source>
        <translation>%1 現在、まだ受付前です。抽選の申込は%2から始まります。</translation>
    </message>
    <message>
        <source>Now (%1): lottery applications are open.</source>
        <translation>%1 現在、抽選の申込を受付中です。</translation>
    </message>
    <message>
        <source>Now (%1): the lottery is closed; first-come opens %2.</source>
        <translation>%1 現在、抽選の申込は締め切りました。先着予約は%2から始まります。</translation>
    </message>
    <message>
        <source>Now (%1): first-come booking is open.</source>
        <translation>%1 現在、先着予約を受付中です。</translation>
    </message>
    <message>
        <source>Now (%1): only the counter can book: take it as a walk-in booking.</source>
        <translation>%1 現在、窓口でのみ予約できます。直前予約として受け付けてください。</translation>
    </message>
    <message>
        <source>Now (%1): that day has passed.</source>
        <translation>%1 現在、その日は過ぎています。</translation>
    </message>
</context>
<context>
    <name>ProxyView</name>
    <message>
        <source>When can it be booked?</source>
        <translation>予約できる期間</translation>
    </message>
    <message>
        <source>Use date</source>
        <translation>利用日</translation>
    </message>
    <message>
        <source>e.g. 2/15</source>
        <translation>例：2/15</translation>
    </message>
    <message>
        <source>Type 2/15, 2月15日 or 2027/2/15 (Ctrl+D); Up/Down: a day, PgUp/PgDn: a month</source>
        <translation>2/15、2月15日、2027/2/15 のように入力 (Ctrl+D)。↑↓：1日ずつ、PgUp/PgDn：1か月ずつ</translation>
    </message>
    <message>
        <source>Lottery</source>
        <translation>抽選</translation>
    </message>
    <message>
        <source>First-come</source>
        <translation>先着</translation>
    </message>
    <message>
        <source>Counter only</source>
        <translation>窓口のみ</translation>
    </message>
    <message>
        <source>That day at this center</source>
        <translation>この館のその日の空き状況</translation>
    </message>
    <message>
        <source>The group&apos;s lottery entries</source>
        <translation>団体の抽選申込</translation>
    </message>
    <message>
        <source>Choose a group to see its entries.</source>
        <translation>団体を選ぶと抽選申込が表示されます。</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>部屋</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>コマ</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>No group chosen</source>
        <translation>団体が選ばれていません</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>申込内容</translation>
    </message>
    <message>
        <source> people</source>
        <translation>人</translation>
    </message>
    <message>
        <source>Headcount</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>利用目的</translation>
    </message>
    <message>
        <source>Enter the lottery</source>
        <translation>抽選に申し込む</translation>
    </message>
    <message>
        <source>Enter the group in the lottery (Ctrl+Shift+L)</source>
        <translation>団体の抽選申込を行う (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Book first-come</source>
        <translation>先着予約する</translation>
    </message>
    <message>
        <source>Book the slot for the group (Ctrl+Shift+B)</source>
        <translation>団体の先着予約を行う (Ctrl+Shift+B)</translation>
    </message>
</context>
<context>
    <name>RegistrationDoneDialog</name>
    <message>
        <source>Group registered</source>
        <extracomment>How a group signs in online, printed on the notice. The wording is the city&apos;s to set; until the desk&apos;s settings carry it, these are the steps the citizens&apos; portal follows. How the notice reaches paper (CUPS or Qt printing); tests print to their own queue.</extracomment>
        <translation>団体登録完了</translation>
    </message>
    <message>
        <source>Registered: %1</source>
        <translation>登録しました：%1</translation>
    </message>
    <message>
        <source>User ID</source>
        <translation>利用者ID</translation>
    </message>
    <message>
        <source>Initial password</source>
        <translation>初期パスワード</translation>
    </message>
    <message>
        <source>The password is shown only now and is not kept at the desk. Print the registration notice for the group, or have them copy it, before closing.</source>
        <translation>パスワードは今だけ表示され、端末には保存されません。閉じる前に利用者登録通知書を印刷して団体にお渡しするか、団体の方に書き写してもらってください。</translation>
    </message>
    <message>
        <source>Print notice</source>
        <translation>通知書を印刷</translation>
    </message>
    <message>
        <source>Print the registration notice (Ctrl+P)</source>
        <translation>利用者登録通知書を印刷 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>閉じる (Esc)</translation>
    </message>
    <message>
        <source>No allowed printer is set for this desk: copy the details by hand.</source>
        <translation>この端末には許可されたプリンターが設定されていません。内容を手書きで控えてください。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>印刷中…</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>再印刷</translation>
    </message>
    <message>
        <source>Sent to the printer %1.</source>
        <translation>プリンター %1 に送信しました。</translation>
    </message>
    <message>
        <source>Not printed yet. Has the group copied the password? Press Esc or Close again to close; it cannot be shown again.</source>
        <translation>まだ印刷していません。団体の方はパスワードを控えましたか？&#x3000;閉じるにはもう一度Escか「閉じる」を押してください。パスワードは再表示できません。</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>Sign in to the counter desk</source>
        <translation>窓口システムにログイン</translation>
    </message>
    <message>
        <source>Staff ID</source>
        <translation>職員ID</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <source>Type your staff ID and password.</source>
        <translation>職員IDとパスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>StatusWindow</name>
    <message>
        <source>Lock</source>
        <extracomment>The clock offset the cache kept from the last contact (see load_kept_clock_offset).</extracomment>
        <translation>ロック</translation>
    </message>
    <message>
        <source>(The center&apos;s name appears after the first sync)</source>
        <translation>（センター名は同期後に表示）</translation>
    </message>
    <message>
        <source>Staff: %1</source>
        <translation>職員：%1</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未ログイン</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>利用停止</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>オンライン</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Waiting: %1</source>
        <translation>未送信 %1件</translation>
    </message>
    <message>
        <source>Last sync %1</source>
        <translation>最終同期 %1</translation>
    </message>
    <message>
        <source>USB storage is not blocked on this PC as the city requires. Do not connect any storage device; tell the office.</source>
        <translation>このパソコンでは、市が定めるUSBメモリ等の使用禁止設定が有効になっていません。記録媒体は接続せず、担当課に連絡してください。</translation>
    </message>
    <message>
        <source>A storage device (%1) has been connected to this PC. Remove it now; the office has been told.</source>
        <translation>このパソコンに記憶装置（%1）が接続されました。すぐに取り外してください（担当課に通知済み）。</translation>
    </message>
    <message>
        <source>Personal data stays hidden until it is fixed.</source>
        <translation>設定が直るまで個人情報は表示されません。</translation>
    </message>
    <message>
        <source>%1 day(s)</source>
        <translation>%1日</translation>
    </message>
    <message>
        <source>%1 hour(s)</source>
        <translation>%1時間</translation>
    </message>
    <message>
        <source>%1 minute(s)</source>
        <translation>%1分</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is about %1 behind the reservation system&apos;s: the desk checks booking rules at the system&apos;s time, and the system&apos;s clock decides.</source>
        <translation>この端末の時計は予約システムより約%1遅れています。予約の判定は予約システムの時刻で行い、予約システムの時計が優先されます。</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is about %1 ahead of the reservation system&apos;s: the desk checks booking rules at the system&apos;s time, and the system&apos;s clock decides.</source>
        <translation>この端末の時計は予約システムより約%1進んでいます。予約の判定は予約システムの時刻で行い、予約システムの時計が優先されます。</translation>
    </message>
    <message>
        <source>Offline: walk-in bookings and day-of-use work continue and are sent when the line is back.</source>
        <translation>オフラインです。直前予約と当日の窓口業務は続けられます。変更は回線の復旧後に送信されます。</translation>
    </message>
    <message>
        <source>%1 change(s) were refused by the reservation system: see Needs attention.</source>
        <translation>予約システムで受理されなかった変更が%1件あります。「要対応」を確認してください。</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>要対応</translation>
    </message>
</context>
<context>
    <name>TodayBoard</name>
    <message>
        <source>Closed: %1</source>
        <translation>休館（%1）</translation>
    </message>
    <message>
        <source>%1 bookings</source>
        <translation>予約 %1件</translation>
    </message>
    <message>
        <source>No bookings on this day.</source>
        <translation>この日の予約はありません。</translation>
    </message>
    <message>
        <source>%1 %2 · %3 booked</source>
        <translation>%1 %2 · 予約 %3件</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
</context>
<context>
    <name>TodayCounterWork</name>
    <message>
        <source>No booking numbered %1 is held at this desk.</source>
        <translation>承認番号 %1 の予約はこの端末にありません。</translation>
    </message>
    <message>
        <source>Check the number; bookings of other centers are not shown here.</source>
        <translation>番号を確認してください。他の地域センターの予約はここには表示されません。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>印刷中…</translation>
    </message>
    <message>
        <source>Both slips sent to the printer: %1.</source>
        <translation>利用申請書と利用承認書をプリンターに送信しました：%1。</translation>
    </message>
    <message>
        <source>Marked as a reprint.</source>
        <translation>「再発行」と表示して印刷しました。</translation>
    </message>
    <message>
        <source>Checked in: %1.</source>
        <translation>受付しました：%1。</translation>
    </message>
</context>
<context>
    <name>TodayView</name>
    <message>
        <source>◀</source>
        <translation>◀</translation>
    </message>
    <message>
        <source>Previous day (Alt+Left)</source>
        <translation>前日 (Alt+Left)</translation>
    </message>
    <message>
        <source>The day shown (Alt+Left, Alt+Right, Ctrl+T for today)</source>
        <translation>表示する日 (Alt+Left / Alt+Right、本日は Ctrl+T)</translation>
    </message>
    <message>
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <source>Next day (Alt+Right)</source>
        <translation>翌日 (Alt+Right)</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>Back to today (Ctrl+T)</source>
        <translation>本日に戻る (Ctrl+T)</translation>
    </message>
    <message>
        <source>Walk-in booking…</source>
        <translation>直前予約…</translation>
    </message>
    <message>
        <source>Book for a group at the counter (Ctrl+N)</source>
        <translation>窓口で直前予約を受け付ける (Ctrl+N)</translation>
    </message>
    <message>
        <source>Approval number</source>
        <translation>承認番号</translation>
    </message>
    <message>
        <source>Scan the slip or type the number</source>
        <translation>承認書を読み取るか番号を入力</translation>
    </message>
    <message>
        <source>Scan an approval slip, or type its number and Enter (Ctrl+F)</source>
        <translation>利用承認書のバーコードを読み取るか、番号を入力してEnter (Ctrl+F)</translation>
    </message>
    <message>
        <source>Approval no.</source>
        <translation>承認番号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>部屋</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>使用料</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同期</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>詳細…</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Print both slips</source>
        <translation>申請書・承認書を印刷</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>プレビュー…</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>受付</translation>
    </message>
    <message>
        <source>Usage report…</source>
        <translation>利用報告…</translation>
    </message>
    <message>
        <source>Fee received…</source>
        <translation>使用料受領…</translation>
    </message>
    <message>
        <source>Cancel booking…</source>
        <translation>予約取消…</translation>
    </message>
    <message>
        <source>No-show…</source>
        <translation>不参加…</translation>
    </message>
</context>
<context>
    <name>UsageFigures</name>
    <message>
        <source>Figure</source>
        <translation>項目</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>当月</translation>
    </message>
    <message>
        <source>Same month last year</source>
        <translation>前年同月</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>前年比</translation>
    </message>
    <message>
        <source>Fiscal year to date</source>
        <translation>年度累計</translation>
    </message>
    <message>
        <source>¥%1</source>
        <translation>%1円</translation>
    </message>
    <message>
        <source>Slots offered</source>
        <translation>提供コマ数</translation>
    </message>
    <message>
        <source>Slots used</source>
        <translation>利用コマ数</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>利用率</translation>
    </message>
    <message>
        <source>%1 pt</source>
        <translation>%1pt</translation>
    </message>
    <message>
        <source>Bookings</source>
        <translation>予約件数</translation>
    </message>
    <message>
        <source>Lottery entries</source>
        <translation>抽選申込数</translation>
    </message>
    <message>
        <source>Entries per lottery slot</source>
        <translation>抽選倍率（申込／コマ）</translation>
    </message>
    <message>
        <source>Cancellations</source>
        <translation>取消件数</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>不参加件数</translation>
    </message>
    <message>
        <source>Fees (nominal)</source>
        <translation>使用料（規定額）</translation>
    </message>
    <message>
        <source>Fees charged</source>
        <translation>使用料（請求額）</translation>
    </message>
    <message>
        <source>Fees received</source>
        <translation>使用料（収納額）</translation>
    </message>
    <message>
        <source>Fee exemptions</source>
        <translation>使用料免除件数</translation>
    </message>
</context>
<context>
    <name>UsageReportDialog</name>
    <message>
        <source> people</source>
        <translation>人</translation>
    </message>
    <message>
        <source>Damage, lost property, anything to note</source>
        <translation>破損・忘れ物など特記事項</translation>
    </message>
    <message>
        <source>Actual headcount</source>
        <translation>利用人数</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>備考</translation>
    </message>
</context>
<context>
    <name>UsageView</name>
    <message>
        <source>◀ Previous month</source>
        <translation>◀ 前の月</translation>
    </message>
    <message>
        <source>Next month ▶</source>
        <translation>次の月 ▶</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <source>Print monthly report…</source>
        <translation>月次報告を印刷…</translation>
    </message>
    <message>
        <source>Previous month (Alt+Page Up)</source>
        <translation>前の月 (Alt+Page Up)</translation>
    </message>
    <message>
        <source>Next month (Alt+Page Down)</source>
        <translation>次の月 (Alt+Page Down)</translation>
    </message>
    <message>
        <source>Preview and print the monthly usage report for this month (Ctrl+P)</source>
        <translation>この月の月次利用状況報告を確認して印刷 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Counted by the reservation system: changes this desk has not sent yet are not included. Offered slots leave out closed days; used slots count every booking not cancelled, no-shows included.</source>
        <translation>予約システムでの集計です（この端末で未送信の変更は含みません）。提供コマ数は休館日を除き、利用コマ数は取消を除くすべての予約（不参加を含む）を数えます。</translation>
    </message>
    <message>
        <source>Occupancy by room and slot (this month)</source>
        <translation>部屋・コマ別の利用率（当月）</translation>
    </message>
    <message>
        <source>Bookings by kind</source>
        <translation>予約の種類別件数</translation>
    </message>
    <message>
        <source>Lottery entries by slot</source>
        <translation>抽選申込数（コマ別）</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>当月</translation>
    </message>
    <message>
        <source>Same month last year</source>
        <translation>前年同月</translation>
    </message>
    <message>
        <source>Loading the figures from the reservation system…</source>
        <translation>予約システムから利用状況を読み込んでいます…</translation>
    </message>
    <message>
        <source>Lottery</source>
        <translation>抽選</translation>
    </message>
    <message>
        <source>First-come</source>
        <translation>先着</translation>
    </message>
    <message>
        <source>Walk-in (counter)</source>
        <translation>直前（窓口）</translation>
    </message>
    <message>
        <source>Monthly usage report %1</source>
        <translation>月次利用状況報告 %1</translation>
    </message>
    <message>
        <source>Print the report</source>
        <translation>報告を印刷</translation>
    </message>
    <message>
        <source>The monthly usage report has been sent to the printer.</source>
        <translation>月次利用状況報告をプリンターに送りました。</translation>
    </message>
</context>
<context>
    <name>WalkInBooking</name>
    <message>
        <source>Choose the group from the list: type part of its name, furigana, user ID or phone.</source>
        <translation>団体を一覧から選んでください。団体名・フリガナ・利用者ID・電話番号の一部を入力すると候補が表示されます。</translation>
    </message>
    <message>
        <source>The group is being copied to this desk from the reservation system. Book again in a moment.</source>
        <translation>予約システムからこの端末へ団体の情報を取り込んでいます。少し待ってから、もう一度予約してください。</translation>
    </message>
    <message>
        <source>Type the individual&apos;s name.</source>
        <translation>個人の氏名を入力してください。</translation>
    </message>
    <message>
        <source>Choose a room.</source>
        <translation>部屋を選んでください。</translation>
    </message>
    <message>
        <source>Choose at least one free slot.</source>
        <translation>空いているコマを1つ以上選んでください。</translation>
    </message>
    <message>
        <source>Type the expected headcount.</source>
        <translation>利用予定の人数を入力してください。</translation>
    </message>
    <message>
        <source>Already booked: %1.</source>
        <translation>次の予約は完了しています：%1。</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>印刷中…</translation>
    </message>
    <message>
        <source>Both slips sent to the printer: %1.</source>
        <translation>利用申請書と利用承認書をプリンターに送信しました：%1。</translation>
    </message>
</context>
<context>
    <name>WalkInDay</name>
    <message>
        <source>Walk-in booking takes today up to %1 (7 days ahead).
%2 is booked first-come or by lottery: take it in Lottery / first-come.</source>
        <extracomment>Emitted with the list of bookings made (each is also in the cache, waiting to sync).</extracomment>
        <translation>直前予約は本日から%1（7日後）までです。
%2は先着予約または抽選の対象です。「抽選・先着」で受け付けてください。</translation>
    </message>
    <message>
        <source>%1 (up to %2)</source>
        <translation>%1（定員%2人）</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>休館</translation>
    </message>
    <message>
        <source>not let</source>
        <translation>貸出なし</translation>
    </message>
    <message>
        <source>booked</source>
        <translation>予約済み</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>not a walk-in day</source>
        <translation>直前予約の期間外</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <source> (de-registered)</source>
        <extracomment>How far ahead the date field goes: the days this desk keeps (a later day is never a walk-in). (room id, slot id) -&gt; approval number of the booking holding it.</extracomment>
        <translation>（登録廃止）</translation>
    </message>
    <message>
        <source>Walk-in booking</source>
        <translation>直前予約</translation>
    </message>
</context>
<context>
    <name>WalkInPages</name>
    <message>
        <source>Open Lottery / first-come</source>
        <translation>「抽選・先着」で受け付ける</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>利用日</translation>
    </message>
    <message>
        <source>Registered group</source>
        <translation>登録団体</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>個人</translation>
    </message>
    <message>
        <source>Booking for</source>
        <translation>利用者区分</translation>
    </message>
    <message>
        <source>Name, furigana, user ID or phone; choose from the list</source>
        <translation>団体名・フリガナ・利用者ID・電話番号で検索し、一覧から選択</translation>
    </message>
    <message>
        <source>No group chosen yet.</source>
        <translation>団体はまだ選ばれていません。</translation>
    </message>
    <message>
        <source>Search every center…</source>
        <translation>全センターで検索…</translation>
    </message>
    <message>
        <source>Find a group registered at another center by its name or user ID</source>
        <translation>他センターに登録された団体を団体名または利用者IDで探します</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>団体</translation>
    </message>
    <message>
        <source>Individual&apos;s name</source>
        <translation>氏名（個人）</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>部屋</translation>
    </message>
    <message>
        <source>Slots</source>
        <translation>コマ</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>利用目的</translation>
    </message>
    <message>
        <source> people</source>
        <translation>人</translation>
    </message>
    <message>
        <source>Headcount</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>None: the fee is charged</source>
        <translation>なし（使用料を徴収）</translation>
    </message>
    <message>
        <source>Reason, if it differs from the group&apos;s</source>
        <translation>団体の登録内容と異なる場合は理由を入力</translation>
    </message>
    <message>
        <source>Fee exemption</source>
        <translation>使用料免除</translation>
    </message>
    <message>
        <source>Fee</source>
        <translation>使用料</translation>
    </message>
    <message>
        <source>Walk-in bookings work offline too: they wait at this desk and are sent when the line is back.</source>
        <translation>直前予約はオフラインでも行えます。予約はこの端末で保留され、回線の復旧後に送信されます。</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>予約する</translation>
    </message>
    <message>
        <source>Book the chosen slots (Enter)</source>
        <translation>選んだコマを予約 (Enter)</translation>
    </message>
    <message>
        <source>Close without booking (Esc)</source>
        <translation>予約せずに閉じる (Esc)</translation>
    </message>
    <message>
        <source>Booked.</source>
        <translation>予約しました。</translation>
    </message>
    <message>
        <source>The booking waits at this desk until the reservation system confirms it; the board shows it as waiting to sync until then.</source>
        <translation>予約システムで確定するまで、予約はこの端末で保留されます。それまでは一覧に「未送信」と表示されます。</translation>
    </message>
    <message>
        <source>Print both slips now? The group takes the approval slip. Press Enter.</source>
        <translation>利用申請書と利用承認書を印刷しますか？&#x3000;利用承認書は団体にお渡しください。Enterで印刷します。</translation>
    </message>
    <message>
        <source>Print both slips</source>
        <translation>申請書・承認書を印刷</translation>
    </message>
    <message>
        <source>Print both slips for each booking (Enter, Ctrl+P)</source>
        <translation>予約ごとに利用申請書と利用承認書を印刷 (Enter、Ctrl+P)</translation>
    </message>
    <message>
        <source>Preview…</source>
        <translation>プレビュー…</translation>
    </message>
    <message>
        <source>Preview the slips (Ctrl+Shift+P)</source>
        <translation>利用申請書と利用承認書をプレビュー (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>閉じる (Esc)</translation>
    </message>
</context>
<context>
    <name>WalkInWho</name>
    <message>
        <source>Individuals may use only: %1.</source>
        <translation>個人で利用できるのは次の部屋のみです：%1。</translation>
    </message>
    <message>
        <source>No registered group matches.</source>
        <translation>該当する登録団体はありません。</translation>
    </message>
    <message>
        <source> · another center</source>
        <translation> · 他センター</translation>
    </message>
    <message>
        <source>No group at any center matches.</source>
        <translation>どのセンターにも該当する団体はありません。</translation>
    </message>
    <message>
        <source>%1 is de-registered: it cannot book. To book again it must register anew (Groups → Register a new group).</source>
        <translation>%1は登録が廃止されているため予約できません。予約するには改めて団体登録が必要です（団体 → 新しい団体を登録）。</translation>
    </message>
    <message>
        <source>No group chosen yet.</source>
        <translation>団体はまだ選ばれていません。</translation>
    </message>
    <message>
        <source>User ID %1</source>
        <translation>利用者ID %1</translation>
    </message>
    <message>
        <source>Exempt: %1</source>
        <translation>免除：%1</translation>
    </message>
    <message>
        <source>This group is de-registered.</source>
        <translation>この団体は登録が廃止されています。</translation>
    </message>
    <message>
        <source>This group&apos;s registration has expired.</source>
        <translation>この団体の登録は有効期限が切れています。</translation>
    </message>
    <message>
        <source>More than this room holds (up to %1).</source>
        <translation>この部屋の定員（%1人）を超えています。</translation>
    </message>
    <message>
        <source>This room holds up to %1.</source>
        <translation>この部屋の定員は%1人です。</translation>
    </message>
    <message>
        <source>Give the reason for this exemption.</source>
        <translation>この免除の理由を入力してください。</translation>
    </message>
    <message>
        <source>Choose at least one slot.</source>
        <translation>コマを1つ以上選んでください。</translation>
    </message>
    <message>
        <source>Nominal %1 · to pay %2</source>
        <translation>規定額 %1 · 納付額 %2</translation>
    </message>
    <message>
        <source>(exempt: %1)</source>
        <translation>（免除：%1）</translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <source>Closing checklist</source>
        <translation>終業時チェックリスト</translation>
    </message>
    <message>
        <source>This PC&apos;s session could not be locked automatically: lock it now.</source>
        <translation>パソコンを自動でロックできませんでした。今すぐ手動でロックしてください。</translation>
    </message>
</context>
</TS>
